import { AuditReport, auditFacts } from './audit-rules';
import { EntityClass, Queryable, RepositoryBinding, loadCatalogFacts } from './catalog-facts';

/** Checks the live catalog of a migrated database, joined with the entity metadata, against the contracts. Read-only. */
export async function auditCatalog(
  db: Queryable,
  entities: readonly EntityClass[] = [],
  repositories: readonly RepositoryBinding[] = [],
): Promise<AuditReport> {
  return auditFacts(await loadCatalogFacts(db, entities, repositories));
}
