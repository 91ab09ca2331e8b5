import { QueryRunner } from 'typeorm';

/** The one tenant predicate every policy uses; `(SELECT ...)` makes PostgreSQL evaluate the setting once per query. */
export const TENANT_PREDICATE = `(SELECT nullif(current_setting('app.current_tenant_id', true), '')::uuid)`;
/** The signed-in user of the transaction, for the users table. */
export const USER_PREDICATE = `(SELECT nullif(current_setting('app.current_user_id', true), '')::uuid)`;

export async function run(queryRunner: QueryRunner, statements: string[]): Promise<void> {
  for (const sql of statements) await queryRunner.query(sql);
}

/**
 * What the application role may do to a table: rows are soft-deleted, so DELETE is granted only where rows are
 * destroyed on purpose (revoked keys, list membership), and append-only tables get no UPDATE either. All four only
 * for pending work that is upserted and dropped once moot (scheduled timers: rescheduled, and cancelled with no
 * history worth keeping).
 */
export type Privileges =
  'SELECT, INSERT, UPDATE' | 'SELECT, INSERT' | 'SELECT, INSERT, DELETE' | 'SELECT' | 'SELECT, INSERT, UPDATE, DELETE';

export interface TenantTableOptions {
  /** Columns that identify a row in the audit log (default `id`). */
  readonly key?: readonly string[];
  /** The column holding the tenant (default `tenant_id`; `id` for the tenants table itself). */
  readonly tenantColumn?: string;
  /** Why changes to this table are not recorded in `audit_log` (kernel bookkeeping, append-only history). */
  readonly auditExempt?: string;
}

/**
 * RLS enabled and forced, the tenant policy, only the DML it needs for the application role, and the audit
 * trigger that records every change in `audit_log` (or, for an exempt table, the reason, which db:audit shows).
 */
export function tenantTable(table: string, privileges: Privileges = 'SELECT, INSERT, UPDATE', options: TenantTableOptions = {}): string[] {
  return [
    ...tenantTableWithoutAudit(table, privileges),
    ...(options.auditExempt ? [auditExempt(table, options.auditExempt)] : auditTrigger(table, options)),
  ];
}

/** The statement-level audit triggers of a table (one per event: PostgreSQL allows transition tables on one event only). */
export const AUDIT_TRIGGERS = ['audit_insert', 'audit_update', 'audit_delete'] as const;

/**
 * The audit triggers of a tenant table: every insert, update, soft delete, restore and delete lands in audit_log,
 * written set-based by `audit_statement()` from the statement's transition tables. Migrations before
 * AuditStatements1764000018000 replay as they ran, with the row-level `audit_row` trigger, which that migration
 * converts (`audit_statement()` does not exist yet when they run).
 */
export function auditTrigger(table: string, options: Pick<TenantTableOptions, 'key' | 'tenantColumn'> = {}): string[] {
  const args = [options.tenantColumn ?? 'tenant_id', ...(options.key ?? ['id'])];
  return [
    `DO $$ BEGIN
       IF to_regprocedure('public.audit_statement()') IS NULL THEN ${rowAuditTrigger(table, args)};
       ELSE ${statementAuditTriggers(table, args).join('; ')};
       END IF;
     END $$`,
  ];
}

/** The three statement-level audit triggers; `args`: the tenant column, then the key columns. */
export function statementAuditTriggers(table: string, args: readonly string[]): string[] {
  const list = args.map(quote).join(', ');
  const transitions = {
    INSERT: 'NEW TABLE AS new_rows',
    UPDATE: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
    DELETE: 'OLD TABLE AS old_rows',
  };
  return Object.entries(transitions).map(
    ([event, tables]) =>
      `CREATE TRIGGER audit_${event.toLowerCase()} AFTER ${event} ON ${table} REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION audit_statement(${list})`,
  );
}

/** The row-level audit trigger the first migrations created (and AuditStatements1764000018000's down path restores). */
export function rowAuditTrigger(table: string, args: readonly string[]): string {
  return `CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_row(${args.map(quote).join(', ')})`;
}

/** Turns a table's audit triggers off or on (as its owner): for bulk loads of bench data only. */
export function setAuditTriggers(table: string, enabled: boolean): string {
  return `ALTER TABLE ${table} ${AUDIT_TRIGGERS.map((t) => `${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER ${t}`).join(', ')}`;
}

/** Marks a tenant table whose changes are deliberately not audited, with the reason. */
export function auditExempt(table: string, reason: string): string {
  return `COMMENT ON TABLE ${table} IS ${quote(`audit-exempt: ${reason}`)}`;
}

/**
 * `tenantTable()` as the first migrations ran it, before `audit_log` existed: Audit1764000003000 then added the
 * triggers of their tables. Never for a new table.
 */
export function tenantTableWithoutAudit(table: string, privileges: Privileges = 'SELECT, INSERT, UPDATE'): string[] {
  return [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY tenant_isolation ON ${table} USING (tenant_id = ${TENANT_PREDICATE}) WITH CHECK (tenant_id = ${TENANT_PREDICATE})`,
    `GRANT ${privileges} ON ${table} TO crm_app`,
  ];
}

/** A table without tenant data: the reason is stored as its comment, where `npm run db:audit` reads it. */
export function globalTable(table: string, reason: string): string[] {
  return [`COMMENT ON TABLE ${table} IS ${quote(`global: ${reason}`)}`, `GRANT SELECT, INSERT, UPDATE ON ${table} TO crm_app`];
}

/** A narrow cross-tenant path for the service role that owns the SECURITY DEFINER functions, and nothing else. */
export function servicePolicy(table: string, privileges = 'SELECT'): string[] {
  return [
    `CREATE POLICY service_lookup ON ${table} TO crm_service USING (true) WITH CHECK (true)`,
    `GRANT ${privileges} ON ${table} TO crm_service`,
  ];
}

/**
 * A SECURITY DEFINER function owned by the service role, callable by one narrow login role only: `crm_auth` for
 * the credential look-ups, `crm_relay` for the outbox claim and pruning. The application role only for a function
 * bound to the transaction's own tenant setting (a search that RLS would otherwise keep off its indexes), so not
 * even an injection through the API's own connections reaches across tenants.
 * `identity` is its name with argument types, e.g. `outbox_prune(integer, integer)`.
 */
export function definerFunction(identity: string, createStatement: string, grantee: 'crm_auth' | 'crm_relay' | 'crm_app'): string[] {
  return [
    createStatement,
    // A new owner needs CREATE on the schema (a superuser skips the check); it keeps none afterwards.
    `GRANT CREATE ON SCHEMA public TO crm_service`,
    `ALTER FUNCTION ${identity} OWNER TO crm_service`,
    `REVOKE CREATE ON SCHEMA public FROM crm_service`,
    `REVOKE ALL ON FUNCTION ${identity} FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION ${identity} TO ${grantee}`,
  ];
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
