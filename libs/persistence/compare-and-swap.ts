import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ExpectedVersion, VersionConflictError, versionMismatch } from '../kernel';

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
): Promise<void> {
  const result = await manager
    .createQueryBuilder()
    .update(entity)
    .set({ ...changes, version: () => 'version + 1', updatedAt: () => 'now()' } as never)
    .where('id = :id AND version = :fromVersion', { id, fromVersion })
    .execute();
  if (result.affected === 1) return;
  throw expected ? versionMismatch(resource, expected) : new VersionConflictError(resource, fromVersion);
}
