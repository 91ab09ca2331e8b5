import { MigrationInterface, QueryRunner } from 'typeorm';
import { auditExempt, auditTrigger, run, servicePolicy, tenantTableWithoutAudit } from './sql';

/** Tables of the earlier migrations whose changes are recorded, with the columns that identify a row. */
const AUDITED: { table: string; key?: string[]; tenantColumn?: string }[] = [
  { table: 'tenants', tenantColumn: 'id' },
  { table: 'billing_accounts' },
  { table: 'projects' },
  { table: 'project_members' },
  { table: 'user_api_keys' },
  { table: 'contacts' },
  { table: 'contact_custom_fields' },
  { table: 'contact_lists' },
  { table: 'contact_list_members', key: ['list_id', 'contact_id'] },
];

const EXEMPT: Record<string, string> = {
  outbox_events: 'kernel bookkeeping: the domain events themselves, with their delivery state',
  processed_events: 'kernel bookkeeping: which consumer handled which event',
  idempotency_keys: 'kernel bookkeeping: stored responses replayed for an Idempotency-Key',
  contact_events: 'append-only timeline derived from contact events',
  contact_event_store: 'append-only event history of contacts: itself an audit trail',
  contact_snapshots: 'append-only snapshots derived from the contact event store',
};

/**
 * The audit trail: a trigger on every tenant table records each insert, update, soft delete, restore and delete
 * in `audit_log`, with the changed columns (secrets and hashes left out), the acting user and the request id from
 * the transaction's settings. The trigger function belongs to the service role, so the application role can read
 * its tenant's audit rows but never write, change or delete one itself.
 */
export class AuditLog1764000003000 implements MigrationInterface {
  name = 'AuditLog1764000003000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `CREATE TABLE audit_log (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid,
        table_name text NOT NULL,
        row_id text NOT NULL,
        action text NOT NULL,
        changes jsonb NOT NULL,
        actor_id uuid,
        request_id text,
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT pk_audit_log PRIMARY KEY (id),
        CONSTRAINT ck_audit_log_action CHECK (action IN ('insert', 'update', 'soft_delete', 'restore', 'delete'))
      )`,
      // Ids are UUIDv7 made at insert: newest first is id order, and they reveal no other tenant's volume.
      `CREATE INDEX idx_audit_log_tenant_project_id ON audit_log (tenant_id, project_id, id)`,
      `CREATE INDEX idx_audit_log_tenant_row ON audit_log (tenant_id, table_name, row_id, id)`,
      `CREATE INDEX idx_audit_log_tenant_actor ON audit_log (tenant_id, actor_id, id)`,
      ...tenantTableWithoutAudit('audit_log', 'SELECT'),
      auditExempt('audit_log', 'the audit trail itself: append-only, written by the audit trigger alone'),
      // Only the trigger writes: its function runs as crm_service, which may insert and nothing else.
      ...servicePolicy('audit_log', 'INSERT').map((s) => s.replace('service_lookup', 'audit_writer')),
      `CREATE FUNCTION audit_uuidv7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
         SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
           substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
       $$`,
      // Arguments: the tenant column, then the key columns. Secrets and hashes never enter the log; bookkeeping
      // timestamps (updated_at, an API key's last use) are no change of their own.
      `CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
       DECLARE
         old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
         new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
         any_row jsonb := coalesce(new_row, old_row);
         verb text;
         diff jsonb;
       BEGIN
         verb := CASE
           WHEN TG_OP = 'INSERT' THEN 'insert'
           WHEN TG_OP = 'DELETE' THEN 'delete'
           WHEN old_row->>'deleted_at' IS NULL AND new_row->>'deleted_at' IS NOT NULL THEN 'soft_delete'
           WHEN old_row->>'deleted_at' IS NOT NULL AND new_row->>'deleted_at' IS NULL THEN 'restore'
           ELSE 'update' END;
         SELECT coalesce(jsonb_object_agg(k, CASE TG_OP
                  WHEN 'INSERT' THEN jsonb_build_object('new', new_row->k)
                  WHEN 'DELETE' THEN jsonb_build_object('old', old_row->k)
                  ELSE jsonb_build_object('old', old_row->k, 'new', new_row->k) END), '{}'::jsonb)
           INTO diff
           FROM jsonb_object_keys(any_row) AS k
          WHERE k !~ '(^|_)(password|secret|token)(_|$)|_hash$|_encrypted$' AND k NOT IN ('updated_at', 'last_used_at')
            AND (TG_OP <> 'UPDATE' OR old_row->k IS DISTINCT FROM new_row->k);
         IF TG_OP = 'UPDATE' AND diff = '{}'::jsonb THEN RETURN NULL; END IF;
         INSERT INTO audit_log (id, tenant_id, project_id, table_name, row_id, action, changes, actor_id, request_id)
         VALUES (audit_uuidv7(), (any_row->>TG_ARGV[0])::uuid,
                 coalesce(any_row->>'project_id', CASE WHEN TG_TABLE_NAME = 'projects' THEN any_row->>'id' END)::uuid,
                 TG_TABLE_NAME,
                 (SELECT string_agg(any_row->>k, ':') FROM unnest(TG_ARGV[1:TG_NARGS - 1]) AS k),
                 verb, diff,
                 nullif(current_setting('app.current_user_id', true), '')::uuid,
                 nullif(current_setting('app.request_id', true), ''));
         RETURN NULL;
       END $$`,
      `GRANT CREATE ON SCHEMA public TO crm_service`,
      `ALTER FUNCTION audit_row() OWNER TO crm_service`,
      `REVOKE CREATE ON SCHEMA public FROM crm_service`,
      `REVOKE ALL ON FUNCTION audit_row() FROM PUBLIC`,
      ...AUDITED.flatMap(({ table, ...options }) => auditTrigger(table, options)),
      ...Object.entries(EXEMPT).map(([table, reason]) => auditExempt(table, reason)),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [
      ...Object.keys(EXEMPT).map((table) => `COMMENT ON TABLE ${table} IS NULL`),
      ...AUDITED.map(({ table }) => `DROP TRIGGER audit_row ON ${table}`),
      `DROP FUNCTION audit_row()`,
      `DROP FUNCTION audit_uuidv7()`,
      `DROP TABLE audit_log`,
    ]);
  }
}
