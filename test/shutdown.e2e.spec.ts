import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { freePort } from '../src/tooling/local-postgres';
import { TestApp, eventually, startTestApp } from './support/test-app';

const ROOT = join(__dirname, '..');

/** Every server started, killed after each test even when it failed half-way (a live child keeps Jest from exiting). */
const servers: ChildProcess[] = [];

interface Server {
  child: ChildProcess;
  baseUrl: string;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The built server (`node dist/src/main.js`), API and relay in one process, on the suite's database. */
async function startServer(env: Record<string, string | undefined> = {}): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      ROLE: 'all',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '1000000',
      // With REDIS_URL the sign-up counter of 127.0.0.1 is shared with every other suite of the run.
      REGISTER_PER_HOUR: '1000000',
      // Small batches and many of them: SIGTERM lands while a batch is claimed.
      RELAY_BATCH_SIZE: '5',
      RELAY_CONCURRENCY: '1',
      ...env,
    } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    return (await fetch(`${baseUrl}/health/ready`).catch(() => undefined))?.ok;
  }, 30_000).catch((error: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${error.message}; the server said:\n${output.slice(-20).join('\n')}`);
  });
  return { child, baseUrl, output, exited };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: { id?: string } }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { id?: string } };
}

function problemLines(output: string[]): string[] {
  return output.filter(
    (line) => /"level":"(error|fatal)"|Driver not Connected|Called end on pool|Unhandled|ECONNREFUSED/.test(line) || !line.startsWith('{'),
  );
}

describe('shutdown on SIGTERM under write load', () => {
  let owner: Client;
  let restarted: TestApp | undefined;

  beforeAll(() => {
    // Only what the server needs, compiled as `npm run build` does.
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
  }, 120_000);
  beforeAll(async () => {
    owner = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await owner.connect();
  });
  afterEach(() => {
    for (const child of servers.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  afterAll(async () => {
    await restarted?.close();
    await owner.end();
  });

  it('exits 0 without an error line, commits every 2xx, and leaves every claimed event to be delivered exactly once', async () => {
    const server = await startServer();
    const signup = await post(`${server.baseUrl}/api/v1/auth/register`, {
      email: `shutdown-${process.pid}@example.com`,
      password: 'correct horse battery',
      name: 'Shutdown',
      tenantName: 'Shutdown Ltd',
    });
    expect(signup.status).toBe(201);
    const { apiKey, tenant } = signup.body as unknown as { apiKey: { key: string }; tenant: { id: string } };
    const auth = { authorization: `Bearer ${apiKey.key}` };

    const acknowledged: string[] = [];
    let stopped = false;
    const writer = async (w: number) => {
      for (let i = 0; !stopped; i++) {
        try {
          const res = await post(`${server.baseUrl}/api/v1/contacts`, { name: `Load ${w}-${i}` }, auth);
          if (res.status === 201) acknowledged.push(res.body.id!);
        } catch {
          return; // The server closed: this writer is done.
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    await eventually(async () => acknowledged.length >= 150, 30_000);
    server.child.kill('SIGTERM');
    const exit = await server.exited;
    stopped = true;
    await Promise.all(writers);

    expect(exit).toEqual({ code: 0, signal: null });
    expect(problemLines(server.output)).toEqual([]);
    expect(server.output.some((line) => line.includes('POST /api/v1/contacts 201'))).toBe(true);

    const committed = await owner.query('SELECT count(*)::int AS n FROM contacts WHERE id = ANY($1::uuid[])', [acknowledged]);
    expect(committed.rows[0].n).toBe(acknowledged.length);
    // Nothing left leased: the relay finished or handed back what it had claimed.
    const leased = await owner.query(`SELECT count(*)::int AS n FROM outbox_events WHERE tenant_id = $1 AND status = 'processing'`, [
      tenant.id,
    ]);
    expect(leased.rows[0].n).toBe(0);

    // Another relay delivers the rest at once (no lease to wait for), each event exactly once.
    restarted = await startTestApp();
    await restarted.relay.wake();
    await eventually(async () => {
      const left = await owner.query(`SELECT count(*)::int AS n FROM outbox_events WHERE tenant_id = $1 AND status <> 'processed'`, [
        tenant.id,
      ]);
      return left.rows[0].n === 0;
    }, 20_000);
    const timeline = await owner.query(
      `SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS events FROM contact_events WHERE tenant_id = $1`,
      [tenant.id],
    );
    const created = await owner.query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE tenant_id = $1 AND event_type = 'contact.created'`,
      [tenant.id],
    );
    expect(timeline.rows[0]).toEqual({ rows: created.rows[0].n, events: created.rows[0].n });
    expect(created.rows[0].n).toBeGreaterThanOrEqual(acknowledged.length);
  }, 90_000);

  it('with the embedded PostgreSQL of `npm start`: exits 0 and stops the server last', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-shutdown-'));
    chmodSync(dir, 0o755); // The checkout: as root, the server runs as `postgres`, which must reach its data directory.
    // npm start's layout: generated secrets and the server's data under one `.data`, here left 0700 by an earlier run.
    mkdirSync(join(dir, '.data'), { mode: 0o700 });
    try {
      const server = await startServer({
        DATABASE_URL: '',
        EMBEDDED_PG_DIR: join(dir, '.data', 'pg'),
        EMBEDDED_PG_PORT: String(await freePort()),
        DATA_DIR: join(dir, '.data'),
      });
      const signup = await post(`${server.baseUrl}/api/v1/auth/register`, {
        email: 'embedded@example.com',
        password: 'correct horse battery',
        name: 'Embedded',
        tenantName: 'Embedded Ltd',
      });
      expect(signup.status).toBe(201);
      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(problemLines(server.output)).toEqual([]);
      // Stopped, not left running: its lock file is gone.
      expect(existsSync(join(dir, '.data', 'pg', 'postmaster.pid'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
