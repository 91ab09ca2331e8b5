import { Client, Pool, PoolClient } from 'pg';
import { loadConfig } from '#config/app-config';
import { PgTarget, appTarget, parseDatabaseUrl, toClientConfig, relayTarget } from '#persistence/connection-options';
import { startEmbeddedPostgres } from '../src/tooling/local-postgres';
import { Migrator } from '#persistence/migrator';
import { provisionDatabase, quoteIdent } from '#persistence/provision';
import { MIGRATIONS } from '../src/bounded-contexts';
import { setAuditTriggers } from '#migrations/sql';

export interface BenchDb {
  /** Owner of the fresh bench database (provisions, migrates, drops). */
  readonly owner: PgTarget;
  /** The application role crm_app on the same database: what the API, the relay and the baselines use. */
  readonly app: PgTarget;
  readonly ownerUrl: string;
  readonly appPassword: string;
  readonly settings: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * A fresh, migrated database: on the server of DATABASE_URL when set, else on a throw-away embedded PostgreSQL
 * with its durable defaults (fsync and synchronous_commit on).
 */
export async function prepareBenchDatabase(): Promise<BenchDb> {
  const appPassword = loadConfig().appDbPassword;
  let server: PgTarget;
  let stopServer = async (): Promise<void> => undefined;
  if (process.env.DATABASE_URL) {
    server = parseDatabaseUrl(process.env.DATABASE_URL);
  } else {
    const pg = await startEmbeddedPostgres({});
    // Through its Unix socket, as `npm start` connects to its embedded server: the baselines and the API alike.
    server = pg.socketTarget;
    stopServer = () => pg.stop();
  }
  const owner: PgTarget = { ...server, database: `crm_bench_${process.pid}` };
  let settings: Record<string, string>;
  try {
    await provisionDatabase(owner, appPassword);
    await new Migrator(owner, MIGRATIONS).up();
    settings = await readSettings(owner);
  } catch (error) {
    await stopServer();
    throw error;
  }
  return {
    owner,
    app: appTarget(owner, appPassword),
    ownerUrl: toUrl(owner),
    appPassword,
    settings,
    stop: async () => {
      if (process.env.DATABASE_URL) await dropDatabase(server, owner.database);
      await stopServer();
    },
  };
}

async function dropDatabase(server: PgTarget, database: string): Promise<void> {
  const admin = new Client(toClientConfig(server));
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`).finally(() => admin.end());
}

async function readSettings(target: PgTarget): Promise<Record<string, string>> {
  const client = new Client(toClientConfig(target));
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'max_connections')`,
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  } finally {
    await client.end();
  }
}

export function toUrl(t: PgTarget): string {
  const auth = t.password ? `${encodeURIComponent(t.user)}:${encodeURIComponent(t.password)}` : encodeURIComponent(t.user);
  // A socket directory's slashes are encoded (`%2Ftmp`): parseDatabaseUrl decodes them.
  return `postgres://${auth}@${encodeURIComponent(t.host)}:${t.port}/${encodeURIComponent(t.database)}`;
}

export function appPool(db: BenchDb, max: number): Pool {
  return new Pool({ ...toClientConfig(db.app), max });
}

/** A connection as crm_relay, set up like the relay's own (asynchronous commit): the only role that may claim. */
export function relayClient(db: BenchDb): Client {
  return new Client({ ...toClientConfig(relayTarget(db.app, db.appPassword)), options: '-c synchronous_commit=off' });
}

/** Runs `fn` in a transaction of `tenantId` (RLS applies), as the pool's role. */
export async function inTenant<T>(client: PoolClient | Client, tenantId: string, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantId]);
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Outbox events of the tenant not yet processed. */
export async function unfinishedEvents(pool: Pool, tenantId: string): Promise<number> {
  const client = await pool.connect();
  try {
    return await inTenant(client, tenantId, async () => {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM outbox_events WHERE status IN ('pending', 'processing')`);
      return rows[0].n as number;
    });
  } finally {
    client.release();
  }
}

/** Bulk-inserts `count` outbox events of `type` for the tenant in one statement (one NOTIFY), each on its own aggregate. */
export async function insertBacklog(
  pool: Pool,
  tenant: { tenantId: string; projectId: string },
  type: string,
  count: number,
): Promise<void> {
  const client = await pool.connect();
  try {
    await inTenant(client, tenant.tenantId, () =>
      client.query(
        `INSERT INTO outbox_events (id, event_id, tenant_id, project_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_data, occurred_at)
         SELECT gen_random_uuid(), gen_random_uuid(), $1, $2, 'bench', gen_random_uuid(), 1, $3, jsonb_build_object('i', i), now()
           FROM generate_series(1, $4::int) AS i`,
        [tenant.tenantId, tenant.projectId, type, count],
      ),
    );
  } finally {
    client.release();
  }
}

/**
 * VACUUM the outbox as its owner, so each measurement starts from the same state: processed rows leave dead
 * entries in the partial "unfinished" indexes that every claim scans until a vacuum removes them.
 */
export async function vacuumOutbox(db: BenchDb): Promise<void> {
  const client = new Client(toClientConfig(db.owner));
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE) outbox_events, processed_events');
  } finally {
    await client.end();
  }
}

/** Turns the audit triggers of `contacts` off or on, as its owner: to measure what the audit trail costs. */
export async function setContactsAudit(db: BenchDb, enabled: boolean): Promise<void> {
  const client = new Client(toClientConfig(db.owner));
  await client.connect();
  try {
    await client.query(setAuditTriggers('contacts', enabled));
  } finally {
    await client.end();
  }
}
