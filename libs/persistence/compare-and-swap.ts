import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ExpectedVersion, VersionConflictError, versionMismatch } from '../kernel';

/** The timestamps the database gave a written row, so a response needs no read-back. */
export interface WriteStamps {
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Optimistic-lock update: `UPDATE ... SET ..., version = version + 1 WHERE id = $id AND version = $from`.
 * Zero rows means another writer got there first; TypeORM's `save()` would silently overwrite instead.
 */
export async function compareAndSwap<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  id: string,
  fromVersion: number,
  changes: Partial<Record<keyof E, unknown>>,
  resource: string,
  expected?: ExpectedVersion,
): Promise<WriteStamps> {
  const result = await manager
    .createQueryBuilder()
    .update(entity)
    .set({ ...changes, version: () => 'version + 1', updatedAt: () => 'now()' } as never)
    .where('id = :id AND version = :fromVersion', { id, fromVersion })
    .returning('created_at, updated_at')
    .execute();
  const [row] = result.raw as { created_at: Date; updated_at: Date }[];
  if (row) return { createdAt: row.created_at, updatedAt: row.updated_at };
  throw expected ? versionMismatch(resource, expected) : new VersionConflictError(resource, fromVersion);
}
