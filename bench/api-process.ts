import { ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../src/tooling/local-postgres';
import { BenchDb } from './db';
import { sleep } from './stats';

export interface ApiProcess {
  readonly baseUrl: string;
  stop(): Promise<void>;
}

/** `node dist/src/main.js` as the API alone (no relay), on the bench database, with rate limiting out of the way. */
export async function startApiProcess(db: BenchDb, env: Record<string, string> = {}): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, '..', 'src', 'main.js')], {
    env: {
      ...process.env,
      ROLE: 'api',
      // BENCH_API_LOG_LEVEL=info measures the cost of the request log lines (written to /dev/null, not the terminal).
      LOG_LEVEL: process.env.BENCH_API_LOG_LEVEL ?? 'warn',
      RATE_LIMIT_PER_MINUTE: '10000000',
      DB_POOL_SIZE: '32', // as many connections as the plain-pg baseline
      PORT: String(port),
      DATABASE_URL: db.ownerUrl,
      APP_DB_PASSWORD: db.appPassword,
      ...env,
    },
    stdio: ['ignore', openSync('/dev/null', 'w'), 'inherit'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitHealthy(baseUrl, child);
  return {
    baseUrl,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitHealthy(baseUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API process exited with ${child.exitCode}`);
    const ok = await fetch(`${baseUrl}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  child.kill('SIGTERM');
  throw new Error('the API process did not become healthy within 60 s');
}

export interface Tenant {
  tenantId: string;
  projectId: string;
  apiKey: string;
}

/** Signs a tenant up through the API: its first project and an API key. */
export async function registerTenant(baseUrl: string, label = 'bench'): Promise<Tenant> {
  const res = await fetch(`${baseUrl}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `${label}-${process.pid}@example.com`,
      password: 'bench password 123',
      name: 'Bench',
      tenantName: 'Bench tenant',
    }),
  });
  const body = (await res.json()) as { tenant: { id: string }; project: { id: string }; apiKey: { key: string } };
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(body)}`);
  return { tenantId: body.tenant.id, projectId: body.project.id, apiKey: body.apiKey.key };
}
