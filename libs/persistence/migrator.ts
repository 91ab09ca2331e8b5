import { DataSource, MigrationInterface } from 'typeorm';
import { PgTarget } from './connection-options';

type MigrationClass = new () => MigrationInterface;

/** Runs the hand-written migrations as the owner role, each in its own transaction. */
export class Migrator {
  constructor(
    private readonly owner: PgTarget,
    private readonly migrations: MigrationClass[],
  ) {}

  private dataSource(): DataSource {
    return new DataSource({
      type: 'postgres',
      host: this.owner.host,
      port: this.owner.port,
      username: this.owner.user,
      password: this.owner.password,
      database: this.owner.database,
      migrations: this.migrations,
      migrationsTableName: 'migrations',
      synchronize: false,
      logging: ['error'],
    });
  }

  private async with<T>(fn: (ds: DataSource) => Promise<T>): Promise<T> {
    const ds = await this.dataSource().initialize();
    try {
      return await fn(ds);
    } finally {
      await ds.destroy();
    }
  }

  /** Applies pending migrations; returns their names. */
  up(): Promise<string[]> {
    return this.with(async (ds) => (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name));
  }

  /** Reverts the last `steps` applied migrations (all of them with `Infinity`). */
  down(steps = 1): Promise<number> {
    return this.with(async (ds) => {
      let reverted = 0;
      while (reverted < steps && (await this.appliedCount(ds)) > 0) {
        await ds.undoLastMigration({ transaction: 'each' });
        reverted += 1;
      }
      return reverted;
    });
  }

  /** Names of all migrations with whether each is applied. */
  status(): Promise<{ name: string; applied: boolean }[]> {
    return this.with(async (ds) => {
      const applied = new Set(await this.appliedNames(ds));
      return ds.migrations.map((m) => ({ name: m.name ?? m.constructor.name, applied: applied.has(m.name ?? m.constructor.name) }));
    });
  }

  private async appliedNames(ds: DataSource): Promise<string[]> {
    const table = await ds.query(`SELECT to_regclass('public.migrations') AS t`);
    if (!table[0].t) return [];
    return (await ds.query('SELECT name FROM migrations ORDER BY id')).map((r: { name: string }) => r.name);
  }

  private async appliedCount(ds: DataSource): Promise<number> {
    return (await this.appliedNames(ds)).length;
  }
}
