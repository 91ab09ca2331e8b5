import { AppConfig } from '#config/app-config';
import { JsonLogger } from '#logging/json-logger';
import { PgTarget, appTarget, parseDatabaseUrl } from '#persistence/connection-options';
import { isDatabaseUnavailable } from '#persistence/database-errors';
import { startEmbeddedPostgres } from './tooling/local-postgres';
import { Migrator } from '#persistence/migrator';
import { provisionDatabase } from '#persistence/provision';
import { MIGRATIONS } from './bounded-contexts';

export interface PreparedDatabase {
  /** The application role's target: what the API, relay and consumers connect as. */
  readonly app: PgTarget;
  readonly owner: PgTarget;
  /** Whether this process started the server (embedded): then it stops it, last, at shutdown. */
  readonly embedded: boolean;
  stop(): Promise<void>;
}

/**
 * The owner database from DATABASE_URL, or an embedded PostgreSQL persisted under `.data/pg` when none is
 * configured; then the roles, the database and every pending migration. A server that does not answer yet (still
 * starting, restarting, not reachable) is waited for with backoff, saying so in the log, instead of failing.
 */
export async function prepareDatabase(
  config: AppConfig,
  logger: JsonLogger,
  options: { maxWaitMs?: number } = {},
): Promise<PreparedDatabase> {
  let owner: PgTarget;
  let stop = async (): Promise<void> => undefined;
  if (config.databaseUrl) {
    owner = parseDatabaseUrl(config.databaseUrl);
  } else {
    const started = Date.now();
    const pg = await startEmbeddedPostgres({ dataDir: config.embedded.dataDir, port: config.embedded.port });
    owner = { ...pg.socketTarget, database: 'crm' };
    stop = async () => pg.stop();
    logger.log(
      `embedded PostgreSQL on port ${config.embedded.port} (${config.embedded.dataDir}) up in ${Date.now() - started} ms`,
      'Database',
    );
  }
  await untilAvailable(
    async () => {
      await provisionDatabase(owner, config.appDbPassword, config.relayDbPassword, config.authDbPassword);
      const applied = await new Migrator(owner, MIGRATIONS).up();
      logger.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'migrations: none pending', 'Database');
    },
    `${owner.host}:${owner.port}`,
    logger,
    options.maxWaitMs ?? Infinity,
  );
  return { app: appTarget(owner, config.appDbPassword), owner, embedded: !config.databaseUrl, stop };
}

/** Runs `step` until the database answers: 0.5 s, 1 s, 2 s ... up to 10 s between attempts. Other errors throw. */
async function untilAvailable(step: () => Promise<void>, where: string, logger: JsonLogger, maxWaitMs: number): Promise<void> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() - started > maxWaitMs) throw error;
      const delay = Math.min(10_000, 500 * 2 ** attempt);
      logger.warn(`database at ${where} not available (${(error as Error).message}); retrying in ${delay} ms`, 'Database');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
