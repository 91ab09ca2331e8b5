import { APP_ROLE } from '#persistence/connection-options';
import { CatalogFacts, EntityFacts, PolicyFacts, RoleFacts, TableFacts } from './catalog-facts';

/**
 * The tenancy and persistence contracts (ARCHITECTURE.md sections 2, 3 and 6) as pure rules over catalog facts:
 * every tenant table forced under RLS with the tenant policy, mapped by an entity and audited; versions and soft
 * delete as the entities say; an application role that can only do DML.
 */

export interface AuditRow {
  /** Entity class name(s) mapped to the table; null for a table no entity maps. */
  entity: string | null;
  table: string;
  exists: boolean;
  /** `version integer NOT NULL` in the table. */
  version: boolean;
  /** A `tenant_id` column in the table. */
  tenant: boolean;
  /** A `deleted_at timestamptz` column in the table. */
  softDelete: boolean;
  rlsEnabled: boolean;
  rlsForced: boolean;
  /** The policy that isolates tenants (USING and WITH CHECK on app.current_tenant_id), if any. */
  policy: string | null;
  repository: string | null;
  /** Holds tenant data (tenant_id, or the `tenants` table itself). */
  tenantScoped: boolean;
  /** Reason from the table's `global: <reason>` comment. */
  global: string | null;
  /** Changes are recorded by the audit triggers. */
  audited: boolean;
  /** Reason from the table's `audit-exempt: <reason>` comment, for a tenant table deliberately not audited. */
  auditExempt: string | null;
  ok: boolean;
  problems: string[];
  /** Suspicious but not a broken invariant. */
  warnings: string[];
}

export interface Coverage {
  count: number;
  total: number;
  percent: number | null;
}

export interface AuditSummary {
  tables: number;
  entities: number;
  rows: number;
  version: Coverage;
  tenant: Coverage;
  softDelete: Coverage;
  /** ENABLE + FORCE RLS, over tenant-scoped tables. */
  rlsForced: Coverage;
  /** A valid tenant policy, over tenant-scoped tables. */
  tenantPolicy: Coverage;
  repository: Coverage;
  /** The audit trigger, or a stated exemption, over tenant-scoped tables. */
  audit: Coverage;
  global: number;
  failing: number;
}

export interface RoleAudit extends RoleFacts {
  problems: string[];
}

export interface AuditReport {
  ok: boolean;
  rows: AuditRow[];
  role: RoleAudit;
  summary: AuditSummary;
}

export const TENANT_SETTING = 'app.current_tenant_id';

/** Judges the facts: a row per table (or per mapped table that does not exist), the role, and the coverage. */
export function auditFacts(facts: CatalogFacts): AuditReport {
  const names = [...new Set([...facts.tables.keys(), ...facts.entities.map((m) => m.table)])].sort();
  const rows = names.map((name) =>
    auditTable(
      name,
      facts.tables.get(name),
      facts.entities.filter((m) => m.table === name),
    ),
  );
  const role = auditRole(facts.role);
  return {
    ok: role.problems.length === 0 && rows.every((r) => r.ok),
    rows,
    role,
    summary: summarize(rows, facts.tables.size, facts.entities.length),
  };
}

/** The application role: NOSUPERUSER, NOBYPASSRLS, owns nothing, belongs to no other role, cannot create objects. */
export function auditRole(role: RoleFacts): RoleAudit {
  const problems: string[] = [];
  if (!role.exists) problems.push(`role ${APP_ROLE} does not exist`);
  if (role.superuser) problems.push(`${APP_ROLE} is SUPERUSER`);
  if (role.bypassRls) problems.push(`${APP_ROLE} has BYPASSRLS`);
  if (role.ownedRelations.length > 0) problems.push(`${APP_ROLE} owns ${role.ownedRelations.join(', ')}`);
  if (role.memberOf.length > 0) problems.push(`${APP_ROLE} is a member of ${role.memberOf.join(', ')} (it could SET ROLE)`);
  if (role.createInSchema) problems.push(`${APP_ROLE} may CREATE in schema public (DML only)`);
  if (role.createInDatabase) problems.push(`${APP_ROLE} may CREATE schemas in the database (DML only)`);
  return { ...role, problems };
}

function commentReason(table: TableFacts | undefined, marker: string): string | null {
  return table?.comment?.startsWith(marker) ? table.comment.slice(marker.length).trim() : null;
}

export function auditTable(name: string, table: TableFacts | undefined, models: EntityFacts[]): AuditRow {
  const column = (c: string) => table?.columns.get(c);
  const version = column('version');
  const deletedAt = column('deleted_at');
  const row: AuditRow = {
    entity: models.length > 0 ? models.map((m) => m.name).join(', ') : null,
    table: name,
    exists: table !== undefined,
    version: version?.type === 'integer' && !version.nullable,
    tenant: column('tenant_id') !== undefined,
    softDelete: deletedAt?.type === 'timestamp with time zone',
    rlsEnabled: table?.rlsEnabled ?? false,
    rlsForced: table?.rlsForced ?? false,
    policy: null,
    repository:
      models
        .map((m) => m.repository)
        .filter(Boolean)
        .join(', ') || null,
    tenantScoped: name === 'tenants' || column('tenant_id') !== undefined,
    global: commentReason(table, 'global:'),
    audited: table?.audited ?? false,
    auditExempt: commentReason(table, 'audit-exempt:'),
    ok: true,
    problems: [],
    warnings: [],
  };
  if (!table) row.problems.push(`table does not exist (mapped by ${row.entity})`);
  else checkTable(row, table);
  if (table && row.tenantScoped && models.length === 0)
    row.problems.push("tenant table mapped by no entity: add its entity to its context's descriptor");
  for (const model of models) checkEntity(row, table, model);
  row.ok = row.problems.length === 0;
  return row;
}

function checkTable(row: AuditRow, table: TableFacts): void {
  if (table.owner === APP_ROLE) row.problems.push(`owned by ${APP_ROLE}`);
  if (table.extraPrivileges.length > 0)
    row.problems.push(`${APP_ROLE} has ${table.extraPrivileges.join(', ')} (DML only; TRUNCATE ignores RLS)`);
  if (!row.tenantScoped) {
    if (row.global === null) row.problems.push('no tenant_id and no `global: <reason>` comment');
    return;
  }
  const tenantColumn = row.table === 'tenants' ? 'id' : 'tenant_id';
  if (table.columns.get(tenantColumn)?.nullable) row.problems.push(`${tenantColumn} is nullable`);
  if (!table.rlsEnabled) row.problems.push('row level security not enabled');
  if (!table.rlsForced) row.problems.push('row level security not forced');
  const appliesToApp = (p: PolicyFacts) => p.roles.includes('public') || p.roles.includes(APP_ROLE);
  const isolating = (p: PolicyFacts) => isTenantPredicate(p.qual, tenantColumn) && isTenantPredicate(p.withCheck ?? p.qual, tenantColumn);
  const tenantPolicy = table.policies.find((p) => p.permissive && p.cmd === 'ALL' && appliesToApp(p) && isolating(p));
  row.policy = tenantPolicy?.name ?? null;
  if (!tenantPolicy)
    row.problems.push(`no policy for ALL commands whose USING and WITH CHECK compare ${tenantColumn} with ${TENANT_SETTING}`);
  for (const p of table.policies.filter((p) => p.permissive && appliesToApp(p) && p !== tenantPolicy && !isolating(p))) {
    row.problems.push(`permissive policy ${p.name} (${p.roles.join(', ')}) lets ${APP_ROLE} past the tenant predicate`);
  }
  if (!table.audited && row.auditExempt === null)
    row.problems.push('no audit triggers (create the table with tenantTable()) and no `audit-exempt: <reason>` comment');
  if (tenantPolicy && !/\(\s*SELECT\b/i.test(tenantPolicy.qual ?? ''))
    row.warnings.push(`policy ${tenantPolicy.name} reads the setting per row: wrap it in (SELECT ...)`);
}

/** `<column> = ...current_setting('app.current_tenant_id'...)`, with no OR that could widen it. */
function isTenantPredicate(expr: string | null, column: string): boolean {
  if (!expr) return false;
  const setting = expr.includes(`current_setting('${TENANT_SETTING}'`);
  const compares = new RegExp(`(^|[\\s(])"?${column}"?\\s*=`).test(expr);
  return setting && compares && !/\bOR\b/i.test(expr);
}

function checkEntity(row: AuditRow, table: TableFacts | undefined, model: EntityFacts): void {
  if (!table) return;
  const column = (c: string) => table.columns.get(c);
  if (model.versionColumn) {
    const v = column(model.versionColumn);
    if (v?.type !== 'integer' || v.nullable)
      row.problems.push(`${model.name} has @VersionColumn but ${row.table}.${model.versionColumn} is not integer NOT NULL`);
  } else if (row.version) row.warnings.push(`${model.name} has no @VersionColumn though the table has version`);
  if (model.deleteDateColumn) {
    const d = column(model.deleteDateColumn);
    if (d?.type !== 'timestamp with time zone' || !d.nullable)
      row.problems.push(`${model.name} has @DeleteDateColumn but ${row.table}.${model.deleteDateColumn} is not a nullable timestamptz`);
  } else if (row.softDelete) row.warnings.push(`${model.name} has no @DeleteDateColumn: its finds return deleted rows`);
  if (row.tenant && !model.mapsTenantId) row.warnings.push(`${model.name} does not map tenant_id`);
}

function summarize(rows: AuditRow[], tables: number, entities: number): AuditSummary {
  const tenantRows = rows.filter((r) => r.tenantScoped);
  const cov = (list: AuditRow[], pick: (r: AuditRow) => boolean): Coverage => {
    const count = list.filter(pick).length;
    return { count, total: list.length, percent: list.length === 0 ? null : Math.round((count / list.length) * 100) };
  };
  return {
    tables,
    entities,
    rows: rows.length,
    version: cov(rows, (r) => r.version),
    tenant: cov(rows, (r) => r.tenant),
    softDelete: cov(rows, (r) => r.softDelete),
    rlsForced: cov(tenantRows, (r) => r.rlsEnabled && r.rlsForced),
    tenantPolicy: cov(tenantRows, (r) => r.policy !== null),
    repository: cov(rows, (r) => r.repository !== null),
    audit: cov(tenantRows, (r) => r.audited || r.auditExempt !== null),
    global: rows.filter((r) => r.global !== null).length,
    failing: rows.filter((r) => !r.ok).length,
  };
}
