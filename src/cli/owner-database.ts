import { MIGRATIONS } from '../bounded-contexts';
import { AppConfig } from '#config/app-config';
import { parseDatabaseUrl, PgTarget } from '#persistence/connection-options';
import { startEmbeddedPostgres } from '../tooling/local-postgres';
import { Migrator } from '#persistence/migrator';
import { provisionDatabase } from '#persistence/provision';

/** The development database on the embedded server (when DATABASE_URL is unset). */
export const EMBEDDED_DATABASE = 'crm';

/** The owner connection the CLIs work with, and how to let go of it (stops the embedded server if one was started). */
export interface OwnerDatabase {
  readonly owner: PgTarget;
  readonly embedded: boolean;
  close(): Promise<void>;
}

/**
 * DATABASE_URL when set (provisioned and migrated only when asked); otherwise the embedded development server,
 * started, provisioned (database `crm`, roles) and, when asked, migrated, as the application does on start.
 */
export async function openOwnerDatabase(config: AppConfig, opts: { provision?: boolean; migrate?: boolean } = {}): Promise<OwnerDatabase> {
  if (config.databaseUrl) {
    const owner = parseDatabaseUrl(config.databaseUrl);
    await prepare(owner, config, opts);
    return { owner, embedded: false, close: async () => undefined };
  }
  const server = await startEmbeddedPostgres({ dataDir: config.embedded.dataDir, port: config.embedded.port });
  const owner: PgTarget = { ...server.target, database: EMBEDDED_DATABASE };
  try {
    await prepare(owner, config, { ...opts, provision: true });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { owner, embedded: true, close: () => server.stop() };
}

async function prepare(owner: PgTarget, config: AppConfig, opts: { provision?: boolean; migrate?: boolean }): Promise<void> {
  if (opts.provision) await provisionDatabase(owner, config.appDbPassword, config.relayDbPassword, config.authDbPassword);
  if (opts.migrate) await new Migrator(owner, MIGRATIONS).up();
}
