import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ExpectedVersion, VersionConflictError, versionMismatch } from '../kernel';
import { WriteStamps, rowStatements, stampsOf } from './row-statements';

/**
 * Optimistic-lock update of a row that is not saved through the AggregateStore (it has no events of its own):
 * `UPDATE ... SET ..., version = version + 1 WHERE id = $id AND version = $from`, or the conflict.
 */
export async function compareAndSwap<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  id: string,
  fromVersion: number,
  changes: Partial<E>,
  resource: string,
  expected?: ExpectedVersion,
): Promise<WriteStamps> {
  const { text, values } = rowStatements.compareAndSwap(manager, entity, id, fromVersion, changes);
  const [stamps] = stampsOf(await manager.query(text, values));
  if (!stamps) throw versionConflict(resource, fromVersion, expected);
  return stamps;
}

/** Zero rows matched the version: 412 against the client's If-Match, or 409 against the version it loaded. */
export function versionConflict(resource: string, fromVersion: number, expected?: ExpectedVersion): Error {
  return expected ? versionMismatch(resource, expected) : new VersionConflictError(resource, fromVersion);
}
