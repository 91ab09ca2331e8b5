import { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

type ColumnMetadata = EntityMetadata['columns'][number];

/** The SQL of one insert shape (which properties a row carries), built once per entity and shape. */
interface InsertShape {
  readonly columns: readonly ColumnMetadata[];
  readonly sql: (rows: number) => string;
}

const shapes = new WeakMap<EntityMetadata, Map<string, InsertShape>>();

/**
 * `INSERT … RETURNING created_at, updated_at` of entity rows, with the SQL cached per entity and set of properties.
 * The hot writes (every aggregate insert, every event appended to a stream) pay for TypeORM's insert builder, which
 * re-plans each statement from the metadata: the largest library cost of a request in its profile. Values still go
 * through the driver's `preparePersistentValue` (JSON columns, transformers, dates), and properties left out take
 * their column's default, as with `manager.insert`. All rows must carry the same properties.
 */
export async function insertRows<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  rows: readonly Partial<E>[],
): Promise<{ createdAt: Date; updatedAt: Date }[]> {
  if (rows.length === 0) return [];
  const metadata = manager.connection.getMetadata(entity);
  const shape = shapeOf(metadata, rows[0]);
  const driver = manager.connection.driver;
  const params = rows.flatMap((row) => shape.columns.map((c) => driver.preparePersistentValue(c.getEntityValue(row), c)));
  const inserted: { created_at?: Date; updated_at?: Date }[] = await manager.query(shape.sql(rows.length), params);
  return inserted.map((r) => ({ createdAt: r.created_at as Date, updatedAt: r.updated_at as Date }));
}

function shapeOf(metadata: EntityMetadata, row: ObjectLiteral): InsertShape {
  const present = metadata.columns.filter((c) => !c.isVirtual && c.getEntityValue(row) !== undefined);
  const key = present.map((c) => c.propertyPath).join(',');
  let byKey = shapes.get(metadata);
  if (!byKey) shapes.set(metadata, (byKey = new Map()));
  let shape = byKey.get(key);
  if (!shape) {
    const names = present.map((c) => `"${c.databaseName}"`).join(', ');
    const stamps = [metadata.createDateColumn, metadata.updateDateColumn].filter((c): c is ColumnMetadata => c !== undefined);
    const returning =
      stamps.length > 0
        ? ` RETURNING ${stamps.map((c) => `"${c.databaseName}" AS ${c === metadata.createDateColumn ? 'created_at' : 'updated_at'}`).join(', ')}`
        : '';
    const width = present.length;
    const sql = (rows: number) =>
      `INSERT INTO "${metadata.tableName}" (${names}) VALUES ${Array.from(
        { length: rows },
        (_, r) => `(${present.map((_c, i) => `$${r * width + i + 1}`).join(', ')})`,
      ).join(', ')}${returning}`;
    const single = sql(1);
    shape = { columns: present, sql: (rows) => (rows === 1 ? single : sql(rows)) };
    byKey.set(key, shape);
  }
  return shape;
}
