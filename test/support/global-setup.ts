import './source-imports';
import { existsSync } from 'node:fs';
import { MIGRATIONS } from '../../src/bounded-contexts';
import { parseDatabaseUrl, PgTarget } from '#persistence/connection-options';
import { LocalPostgres, startEmbeddedPostgres, startSystemPostgres } from '../../src/tooling/local-postgres';
import { Migrator } from '#persistence/migrator';
import { provisionDatabase } from '#persistence/provision';

/**
 * Finds a PostgreSQL for the suite, first that works: TEST_DATABASE_URL / DATABASE_URL, a testcontainer when a
 * container runtime answers, the embedded server from npm, the system's binaries. `TEST_PG` forces one
 * (env | testcontainers | embedded | system). Exports the owner URL of a migrated `crm_test` database as
 * DATABASE_URL and the server's admin URL as CRM_TEST_ADMIN_URL.
 */
export default async function globalSetup(): Promise<void> {
  const want = process.env.TEST_PG ?? 'auto';
  const given = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  let server: { target: PgTarget; stop?: () => Promise<void> };
  if (want === 'env' || (want === 'auto' && given)) {
    if (!given) throw new Error('TEST_PG=env needs TEST_DATABASE_URL or DATABASE_URL');
    server = { target: parseDatabaseUrl(given) };
  } else if (want === 'testcontainers' || (want === 'auto' && (await containerRuntimeAvailable()))) {
    server = await startTestcontainer();
  } else {
    let local: LocalPostgres | undefined;
    if (want !== 'system') {
      try {
        local = await startEmbeddedPostgres({ fast: true });
      } catch (error) {
        if (want === 'embedded') throw error;
        console.warn(`embedded PostgreSQL unavailable, using the system binaries: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    local ??= await startSystemPostgres({ fast: true });
    server = local;
  }
  (globalThis as { __CRM_PG__?: typeof server }).__CRM_PG__ = server;

  const admin = server.target;
  const database = `crm_test_${process.pid}`;
  const owner: PgTarget = { ...admin, database };
  process.env.CRM_TEST_ADMIN_URL = toUrl({ ...admin, database: 'postgres' });
  process.env.DATABASE_URL = toUrl(owner);
  process.env.APP_DB_PASSWORD = 'crm_app_test';
  process.env.NODE_ENV = 'test';
  // A fixed secret: tests never generate one under .data.
  process.env.JWT_SECRET ??= 'test-only-jwt-secret-0123456789abcdefghij';
  process.env.CHANNEL_SECRETS_KEY ??= '0123456789abcdef'.repeat(4);
  await provisionDatabase(owner, 'crm_app_test');
  await new Migrator(owner, MIGRATIONS).up();
}

export function toUrl(t: PgTarget): string {
  const auth = t.password ? `${encodeURIComponent(t.user)}:${encodeURIComponent(t.password)}` : encodeURIComponent(t.user);
  return `postgres://${auth}@${t.host}:${t.port}/${encodeURIComponent(t.database)}`;
}

async function containerRuntimeAvailable(): Promise<boolean> {
  const socket = [
    '/var/run/docker.sock',
    `${process.env.XDG_RUNTIME_DIR ?? ''}/docker.sock`,
    `${process.env.HOME ?? ''}/.testcontainers.properties`,
  ];
  if (!process.env.DOCKER_HOST && !socket.some((p) => existsSync(p))) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function startTestcontainer(): Promise<{ target: PgTarget; stop: () => Promise<void> }> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:16-alpine')
    .withCommand(['postgres', '-c', 'fsync=off', '-c', 'max_connections=200'])
    .start();
  return {
    target: {
      host: container.getHost(),
      port: container.getPort(),
      database: 'postgres',
      user: container.getUsername(),
      password: container.getPassword(),
    },
    stop: async () => void (await container.stop()),
  };
}
