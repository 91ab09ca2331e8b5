import { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

type ColumnMetadata = EntityMetadata['columns'][number];

/** SQL text with its parameters, `$first` upwards: statements compose into one round trip (see AggregateStore). */
export interface Statement {
  readonly text: string;
  readonly values: unknown[];
}

/** The timestamps the database gave a written row, so a response needs no read-back. */
export interface WriteStamps {
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Row statements built from the entity metadata, their SQL cached per entity and set of properties. The hot writes
 * (every aggregate insert and compare-and-swap) paid for TypeORM's query builders, which re-plan each statement
 * from the metadata: the largest library cost of a request in its profile. Values still go through the driver's
 * `preparePersistentValue` (JSON columns, transformers, dates); properties left out take their column's default
 * on insert and stay as they are on update, as with `manager.insert` and `update().set()`.
 */
export const rowStatements = {
  /**
   * `INSERT … RETURNING` the stamps, of rows that all carry the same properties. With `onlyIfRowsIn` (as a CTE
   * beside a compare-and-swap named so), the rows go in only if that CTE returned a row; its VALUES then sit in a
   * sub-select, where parameters take their types from casts rather than from the target columns.
   */
  insert<E extends ObjectLiteral>(
    manager: EntityManager,
    entity: EntityTarget<E>,
    rows: readonly Partial<E>[],
    first = 1,
    onlyIfRowsIn?: string,
  ): Statement {
    const metadata = manager.connection.getMetadata(entity);
    const columns = presentColumns(metadata, rows[0] ?? {});
    const sql = cached(metadata, `insert:${rows.length}:${first}:${onlyIfRowsIn ?? ''}`, columns, () => {
      const cast = (c: ColumnMetadata) => (onlyIfRowsIn ? `::${sqlType(manager, c)}` : '');
      const tuples = rows.map((_r, r) => `(${columns.map((c, i) => `$${first + r * columns.length + i}${cast(c)}`).join(', ')})`);
      const source = onlyIfRowsIn
        ? `SELECT * FROM (VALUES ${tuples.join(', ')}) AS v WHERE EXISTS (SELECT FROM ${onlyIfRowsIn})`
        : `VALUES ${tuples.join(', ')}`;
      return `INSERT INTO "${metadata.tableName}" (${names(columns)}) ${source}${returningStamps(metadata)}`;
    });
    return { text: sql, values: rows.flatMap((row) => values(manager, columns, row)) };
  },

  /**
   * A batch of any size (a consumer's share of a relay batch) in one statement of fixed text: one array parameter
   * per column, expanded by `unnest`. TypeORM's insert builder takes time quadratic in the number of parameters;
   * `insert` above caches a text per row count. No array columns (`unnest` would flatten them).
   */
  insertMany<E extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<E>, rows: readonly Partial<E>[]): Statement {
    const metadata = manager.connection.getMetadata(entity);
    const columns = presentColumns(metadata, rows[0] ?? {});
    const sql = cached(metadata, 'insertMany', columns, () => {
      const arrays = columns.map((c, i) => {
        if (c.isArray) throw new Error(`insertMany: ${metadata.tableName}.${c.databaseName} is an array column`);
        return `$${i + 1}::${sqlType(manager, c)}[]`;
      });
      return `INSERT INTO "${metadata.tableName}" (${names(columns)}) SELECT * FROM unnest(${arrays.join(', ')})`;
    });
    const perRow = rows.map((row) => values(manager, columns, row));
    return { text: sql, values: columns.map((_c, i) => perRow.map((row) => row[i])) };
  },

  /**
   * Optimistic-lock update: `UPDATE … SET …, version = version + 1 WHERE id = $id AND version = $from RETURNING`
   * the stamps. No row back means another writer got there first (TypeORM's `save()` would silently overwrite).
   */
  compareAndSwap<E extends ObjectLiteral>(
    manager: EntityManager,
    entity: EntityTarget<E>,
    id: string,
    fromVersion: number,
    changes: Partial<E>,
    first = 1,
  ): Statement {
    const metadata = manager.connection.getMetadata(entity);
    // The key, the version and the update stamp are the statement's own to set.
    const own = (c: ColumnMetadata) => c.isPrimary || c === metadata.versionColumn || c === metadata.updateDateColumn;
    const columns = presentColumns(metadata, changes).filter((c) => !own(c));
    const sql = cached(metadata, `cas:${first}`, columns, () => {
      const set = columns.map((c, i) => `"${c.databaseName}" = $${first + i}`);
      const updated = metadata.updateDateColumn ? [`"${metadata.updateDateColumn.databaseName}" = now()`] : [];
      const key = first + columns.length;
      return `UPDATE "${metadata.tableName}" SET ${[...set, 'version = version + 1', ...updated].join(', ')}
               WHERE id = $${key} AND version = $${key + 1}${returningStamps(metadata)}`;
    });
    return { text: sql, values: [...values(manager, columns, changes), id, fromVersion] };
  },
};

/** The stamps of the rows a statement returned (`RETURNING … AS created_at, … AS updated_at`). */
export function stampsOf(rows: { created_at?: Date; updated_at?: Date }[]): WriteStamps[] {
  return rows.map((r) => ({ createdAt: r.created_at as Date, updatedAt: r.updated_at as Date }));
}

const statements = new WeakMap<EntityMetadata, Map<string, string>>();

function cached(metadata: EntityMetadata, kind: string, columns: readonly ColumnMetadata[], build: () => string): string {
  let byKey = statements.get(metadata);
  if (!byKey) statements.set(metadata, (byKey = new Map()));
  const key = `${kind}:${columns.map((c) => c.propertyPath).join(',')}`;
  let sql = byKey.get(key);
  if (sql === undefined) byKey.set(key, (sql = build()));
  return sql;
}

function presentColumns(metadata: EntityMetadata, row: ObjectLiteral): ColumnMetadata[] {
  return metadata.columns.filter((c) => !c.isVirtual && c.getEntityValue(row) !== undefined);
}

function sqlType(manager: EntityManager, column: ColumnMetadata): string {
  return `${manager.connection.driver.normalizeType(column)}${column.isArray ? '[]' : ''}`;
}

function names(columns: readonly ColumnMetadata[]): string {
  return columns.map((c) => `"${c.databaseName}"`).join(', ');
}

function values(manager: EntityManager, columns: readonly ColumnMetadata[], row: ObjectLiteral): unknown[] {
  return columns.map((c) => manager.connection.driver.preparePersistentValue(c.getEntityValue(row), c));
}

function returningStamps(metadata: EntityMetadata): string {
  const created = metadata.createDateColumn ? `"${metadata.createDateColumn.databaseName}" AS created_at` : 'NULL AS created_at';
  const updated = metadata.updateDateColumn ? `"${metadata.updateDateColumn.databaseName}" AS updated_at` : 'NULL AS updated_at';
  return ` RETURNING ${created}, ${updated}`;
}
