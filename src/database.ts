import { AppConfig } from '#config/app-config';
import { JsonLogger } from '#logging/json-logger';
import { PgTarget, appTarget, parseDatabaseUrl } from '#persistence/connection-options';
import { startEmbeddedPostgres } from './tooling/local-postgres';
import { Migrator } from '#persistence/migrator';
import { provisionDatabase } from '#persistence/provision';
import { MIGRATIONS } from './bounded-contexts';

export interface PreparedDatabase {
  /** The application role's target: what the API, relay and consumers connect as. */
  readonly app: PgTarget;
  readonly owner: PgTarget;
  stop(): Promise<void>;
}

/**
 * The owner database from DATABASE_URL, or an embedded PostgreSQL persisted under `.data/pg` when none is
 * configured; then the roles, the database and every pending migration.
 */
export async function prepareDatabase(config: AppConfig, logger: JsonLogger): Promise<PreparedDatabase> {
  let owner: PgTarget;
  let stop = async (): Promise<void> => undefined;
  if (config.databaseUrl) {
    owner = parseDatabaseUrl(config.databaseUrl);
  } else {
    const started = Date.now();
    const pg = await startEmbeddedPostgres({ dataDir: config.embedded.dataDir, port: config.embedded.port });
    owner = { ...pg.target, database: 'crm' };
    stop = async () => pg.stop();
    logger.log(
      `embedded PostgreSQL on port ${config.embedded.port} (${config.embedded.dataDir}) up in ${Date.now() - started} ms`,
      'Database',
    );
  }
  await provisionDatabase(owner, config.appDbPassword, config.relayDbPassword, config.authDbPassword);
  const applied = await new Migrator(owner, MIGRATIONS).up();
  logger.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'migrations: none pending', 'Database');
  return { app: appTarget(owner, config.appDbPassword), owner, stop };
}
