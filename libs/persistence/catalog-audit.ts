import { DataSource, EntityMetadata } from 'typeorm';
import { APP_ROLE } from './connection-options';

/**
 * Checks the live catalog of a migrated database against the tenancy and persistence contracts
 * (ARCHITECTURE.md sections 2, 3 and 6), joined with the TypeORM entity metadata. Read-only.
 */

/** Something that runs SQL: a pg Client/Pool/PoolClient, a TypeORM DataSource, or a bare query function. */
export type Queryable =
  { query(sql: string, params?: unknown[]): Promise<unknown> } | ((sql: string, params?: unknown[]) => Promise<unknown>);
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityClass = Function;
export interface RepositoryBinding {
  readonly entity: EntityClass;
  readonly repository: string;
}

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
  global: number;
  failing: number;
}

export interface RoleAudit {
  role: string;
  exists: boolean;
  superuser: boolean;
  bypassRls: boolean;
  ownedRelations: string[];
  memberOf: string[];
  problems: string[];
}

export interface AuditReport {
  ok: boolean;
  rows: AuditRow[];
  role: RoleAudit;
  summary: AuditSummary;
}

export const TENANT_SETTING = 'app.current_tenant_id';

interface ColumnFacts {
  type: string;
  nullable: boolean;
}
interface PolicyFacts {
  name: string;
  permissive: boolean;
  roles: string[];
  cmd: string;
  qual: string | null;
  withCheck: string | null;
}
interface TableFacts {
  name: string;
  rlsEnabled: boolean;
  rlsForced: boolean;
  comment: string | null;
  owner: string;
  columns: Map<string, ColumnFacts>;
  policies: PolicyFacts[];
  extraPrivileges: string[];
}
interface EntityFacts {
  name: string;
  table: string;
  versionColumn?: string;
  deleteDateColumn?: string;
  mapsTenantId: boolean;
  repository?: string;
}

export async function auditCatalog(
  db: Queryable,
  entities: readonly EntityClass[] = [],
  repositories: readonly RepositoryBinding[] = [],
): Promise<AuditReport> {
  const query = toQueryFn(db);
  const tables = await loadTables(query);
  const role = await auditRole(query);
  const models = await loadEntities(entities, repositories);
  const names = [...new Set([...tables.keys(), ...models.map((m) => m.table)])].sort();
  const rows = names.map((name) =>
    auditTable(
      name,
      tables.get(name),
      models.filter((m) => m.table === name),
    ),
  );
  return { ok: role.problems.length === 0 && rows.every((r) => r.ok), rows, role, summary: summarize(rows, tables.size, models.length) };
}

function toQueryFn(db: Queryable): <T>(sql: string, params?: unknown[]) => Promise<T[]> {
  const run = typeof db === 'function' ? db : (sql: string, params?: unknown[]) => db.query(sql, params);
  return async <T>(sql: string, params?: unknown[]) => {
    const result = await run(sql, params);
    return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
  };
}

type QueryFn = ReturnType<typeof toQueryFn>;

async function loadTables(query: QueryFn): Promise<Map<string, TableFacts>> {
  const tables = new Map<string, TableFacts>();
  const rows = await query<{ name: string; rls_enabled: boolean; rls_forced: boolean; comment: string | null; owner: string }>(
    `SELECT c.relname AS name, c.relrowsecurity AS rls_enabled, c.relforcerowsecurity AS rls_forced,
            obj_description(c.oid, 'pg_class') AS comment, pg_get_userbyid(c.relowner) AS owner
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'migrations'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`,
  );
  for (const r of rows) {
    tables.set(r.name, {
      name: r.name,
      rlsEnabled: r.rls_enabled,
      rlsForced: r.rls_forced,
      comment: r.comment,
      owner: r.owner,
      columns: new Map(),
      policies: [],
      extraPrivileges: [],
    });
  }
  const columns = await query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  for (const c of columns) tables.get(c.table_name)?.columns.set(c.column_name, { type: c.data_type, nullable: c.is_nullable === 'YES' });
  const policies = await query<{
    tablename: string;
    policyname: string;
    permissive: string;
    roles: string[];
    cmd: string;
    qual: string | null;
    with_check: string | null;
  }>(
    `SELECT tablename, policyname, permissive, roles::text[] AS roles, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'public'`,
  );
  for (const p of policies) {
    tables.get(p.tablename)?.policies.push({
      name: p.policyname,
      permissive: p.permissive === 'PERMISSIVE',
      roles: p.roles,
      cmd: p.cmd,
      qual: p.qual,
      withCheck: p.with_check,
    });
  }
  for (const p of await loadExtraPrivileges(query)) tables.get(p.name)?.extraPrivileges.push(...p.extra);
  return tables;
}

/** Privileges beyond DML: TRUNCATE ignores RLS; REFERENCES and TRIGGER are not the application's business. */
async function loadExtraPrivileges(query: QueryFn): Promise<{ name: string; extra: string[] }[]> {
  const role = await query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
  if (role.length === 0) return [];
  return query<{ name: string; extra: string[] }>(
    `SELECT c.relname AS name, array_remove(ARRAY[
              CASE WHEN has_table_privilege($1, c.oid, 'TRUNCATE') THEN 'TRUNCATE' END,
              CASE WHEN has_table_privilege($1, c.oid, 'REFERENCES') THEN 'REFERENCES' END,
              CASE WHEN has_table_privilege($1, c.oid, 'TRIGGER') THEN 'TRIGGER' END]::text[], NULL) AS extra
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
    [APP_ROLE],
  );
}

/** The application role: NOSUPERUSER, NOBYPASSRLS, owns nothing, belongs to no other role, cannot create objects. */
async function auditRole(query: QueryFn): Promise<RoleAudit> {
  const audit: RoleAudit = {
    role: APP_ROLE,
    exists: false,
    superuser: false,
    bypassRls: false,
    ownedRelations: [],
    memberOf: [],
    problems: [],
  };
  const [role] = await query<{ rolsuper: boolean; rolbypassrls: boolean; create_schema: boolean; create_db: boolean }>(
    `SELECT rolsuper, rolbypassrls, has_schema_privilege(rolname, 'public', 'CREATE') AS create_schema,
            has_database_privilege(rolname, current_database(), 'CREATE') AS create_db
       FROM pg_roles WHERE rolname = $1`,
    [APP_ROLE],
  );
  if (!role) return { ...audit, problems: [`role ${APP_ROLE} does not exist`] };
  const owned = await query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE pg_get_userbyid(c.relowner) = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1`,
    [APP_ROLE],
  );
  const member = await query<{ name: string }>(
    `SELECT rolname AS name FROM pg_roles WHERE rolname <> $1 AND pg_has_role($1, oid, 'MEMBER') ORDER BY 1`,
    [APP_ROLE],
  );
  Object.assign(audit, {
    exists: true,
    superuser: role.rolsuper,
    bypassRls: role.rolbypassrls,
    ownedRelations: owned.map((o) => o.name),
    memberOf: member.map((m) => m.name),
  });
  if (role.rolsuper) audit.problems.push(`${APP_ROLE} is SUPERUSER`);
  if (role.rolbypassrls) audit.problems.push(`${APP_ROLE} has BYPASSRLS`);
  if (owned.length > 0) audit.problems.push(`${APP_ROLE} owns ${audit.ownedRelations.join(', ')}`);
  if (member.length > 0) audit.problems.push(`${APP_ROLE} is a member of ${audit.memberOf.join(', ')} (it could SET ROLE)`);
  if (role.create_schema) audit.problems.push(`${APP_ROLE} may CREATE in schema public (DML only)`);
  if (role.create_db) audit.problems.push(`${APP_ROLE} may CREATE schemas in the database (DML only)`);
  return audit;
}

/** Entity metadata built without connecting: the table each entity maps and its version/soft-delete columns. */
async function loadEntities(entities: readonly EntityClass[], repositories: readonly RepositoryBinding[]): Promise<EntityFacts[]> {
  if (entities.length === 0) return [];
  const metadatas = await new MetadataOnlyDataSource([...entities]).metadatas();
  return metadatas
    .filter((m) => m.tableType !== 'view')
    .map((m) => ({
      name: m.targetName || m.name,
      table: m.schema && m.schema !== 'public' ? `${m.schema}.${m.tableName}` : m.tableName,
      versionColumn: m.versionColumn?.databaseName,
      deleteDateColumn: m.deleteDateColumn?.databaseName,
      mapsTenantId: m.columns.some((c) => c.databaseName === 'tenant_id'),
      repository: repositories.find((r) => r.entity === m.target)?.repository,
    }));
}

class MetadataOnlyDataSource extends DataSource {
  constructor(entities: EntityClass[]) {
    super({ type: 'postgres', entities });
  }

  async metadatas(): Promise<EntityMetadata[]> {
    await this.buildMetadatas();
    return this.entityMetadatas;
  }
}

function auditTable(name: string, table: TableFacts | undefined, models: EntityFacts[]): AuditRow {
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
    global: table?.comment?.startsWith('global:') ? table.comment.slice('global:'.length).trim() : null,
    ok: true,
    problems: [],
    warnings: [],
  };
  if (!table) row.problems.push(`table does not exist (mapped by ${row.entity})`);
  else checkTable(row, table);
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
    global: rows.filter((r) => r.global !== null).length,
    failing: rows.filter((r) => !r.ok).length,
  };
}
