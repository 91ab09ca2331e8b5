import { DataSource, EntityMetadata } from 'typeorm';
import { APP_ROLE } from '#persistence/connection-options';

/** Something that runs SQL: a pg Client/Pool/PoolClient, a TypeORM DataSource, or a bare query function. */
export type Queryable =
  { query(sql: string, params?: unknown[]): Promise<unknown> } | ((sql: string, params?: unknown[]) => Promise<unknown>);
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityClass = Function;
export interface RepositoryBinding {
  readonly entity: EntityClass;
  readonly repository: string;
}

export interface ColumnFacts {
  type: string;
  nullable: boolean;
}
export interface PolicyFacts {
  name: string;
  permissive: boolean;
  roles: string[];
  cmd: string;
  qual: string | null;
  withCheck: string | null;
}
export interface TableFacts {
  name: string;
  rlsEnabled: boolean;
  rlsForced: boolean;
  comment: string | null;
  owner: string;
  columns: Map<string, ColumnFacts>;
  policies: PolicyFacts[];
  extraPrivileges: string[];
  /** Has the three statement-level audit triggers, which record its changes in audit_log. */
  audited: boolean;
}
export interface EntityFacts {
  name: string;
  table: string;
  versionColumn?: string;
  deleteDateColumn?: string;
  mapsTenantId: boolean;
  repository?: string;
}
export interface RoleFacts {
  role: string;
  exists: boolean;
  superuser: boolean;
  bypassRls: boolean;
  createInSchema: boolean;
  createInDatabase: boolean;
  ownedRelations: string[];
  memberOf: string[];
}
export interface CatalogFacts {
  tables: Map<string, TableFacts>;
  role: RoleFacts;
  entities: EntityFacts[];
}

/** What the audit rules judge: the live catalog (read-only queries) and the entity metadata, built offline. */
export async function loadCatalogFacts(
  db: Queryable,
  entities: readonly EntityClass[] = [],
  repositories: readonly RepositoryBinding[] = [],
): Promise<CatalogFacts> {
  const query = toQueryFn(db);
  return { tables: await loadTables(query), role: await loadRole(query), entities: await loadEntities(entities, repositories) };
}

type QueryFn = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

function toQueryFn(db: Queryable): QueryFn {
  const run = typeof db === 'function' ? db : (sql: string, params?: unknown[]) => db.query(sql, params);
  return async <T>(sql: string, params?: unknown[]) => {
    const result = await run(sql, params);
    return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
  };
}

async function loadTables(query: QueryFn): Promise<Map<string, TableFacts>> {
  const tables = new Map<string, TableFacts>();
  const rows = await query<{
    name: string;
    rls_enabled: boolean;
    rls_forced: boolean;
    comment: string | null;
    owner: string;
    audited: boolean;
  }>(
    `SELECT c.relname AS name, c.relrowsecurity AS rls_enabled, c.relforcerowsecurity AS rls_forced,
            obj_description(c.oid, 'pg_class') AS comment, pg_get_userbyid(c.relowner) AS owner,
            (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname IN ('audit_insert', 'audit_update', 'audit_delete')
               AND t.tgfoid = to_regprocedure('audit_statement()') AND NOT t.tgisinternal) = 3 AS audited
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
      audited: r.audited,
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

async function loadRole(query: QueryFn): Promise<RoleFacts> {
  const facts: RoleFacts = {
    role: APP_ROLE,
    exists: false,
    superuser: false,
    bypassRls: false,
    createInSchema: false,
    createInDatabase: false,
    ownedRelations: [],
    memberOf: [],
  };
  const [role] = await query<{ rolsuper: boolean; rolbypassrls: boolean; create_schema: boolean; create_db: boolean }>(
    `SELECT rolsuper, rolbypassrls, has_schema_privilege(rolname, 'public', 'CREATE') AS create_schema,
            has_database_privilege(rolname, current_database(), 'CREATE') AS create_db
       FROM pg_roles WHERE rolname = $1`,
    [APP_ROLE],
  );
  if (!role) return facts;
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
  return {
    ...facts,
    exists: true,
    superuser: role.rolsuper,
    bypassRls: role.rolbypassrls,
    createInSchema: role.create_schema,
    createInDatabase: role.create_db,
    ownedRelations: owned.map((o) => o.name),
    memberOf: member.map((m) => m.name),
  };
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
