import type { Type } from '@nestjs/common';
import type { MigrationInterface } from 'typeorm';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityClass = Function;

/**
 * What a bounded context brings to the application: its Nest module, the TypeORM entities of its tables, which
 * repository adapter persists which aggregate, and its migrations. One list of these (src/bounded-contexts.ts)
 * feeds the app module, the migrator, `npm run db:audit` and the migration test, so nothing can be forgotten.
 */
export interface BoundedContext {
  readonly name: string;
  /** Absent for the kernel, whose wiring is PlatformModule. */
  readonly module?: Type<unknown>;
  readonly entities: readonly EntityClass[];
  readonly repositories: readonly { readonly entity: EntityClass; readonly adapter: Type<unknown> }[];
  readonly migrations: readonly Type<MigrationInterface>[];
}

/** Every migration of the contexts, in timestamp order (the 13 digits that end each class name). */
export function migrationsOf(contexts: readonly BoundedContext[]): Type<MigrationInterface>[] {
  const stamp = (m: Type<MigrationInterface>) => Number(/(\d{13})$/.exec(m.name)?.[1] ?? NaN);
  const all = contexts.flatMap((c) => c.migrations);
  const bad = all.filter((m) => Number.isNaN(stamp(m)));
  if (bad.length > 0) throw new Error(`migration class names must end in a 13-digit timestamp: ${bad.map((m) => m.name).join(', ')}`);
  return [...all].sort((a, b) => stamp(a) - stamp(b));
}
