import { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_TRIGGERS, rowAuditTrigger, run, statementAuditTriggers } from './sql';

/** What sets each event's audit rows apart: where its rows come from, their action and their recorded changes. */
interface EventAudit {
  /** `old_row` and `new_row` (jsonb, NULL when the event has none) from the statement's transition tables. */
  rows: string;
  action: string;
  /** The columns' values as `{ "<column>": { "old": ..., "new": ... } }`, without the columns in `left_out`. */
  changes: string;
}

const changesOf = (side: 'old' | 'new') =>
  `(SELECT coalesce(jsonb_object_agg(c.key, jsonb_build_object('${side}', c.value)), '{}'::jsonb) FROM jsonb_each(r.${side}_row - left_out) AS c)`;

const EVENTS: Record<'INSERT' | 'UPDATE' | 'DELETE', EventAudit> = {
  INSERT: { rows: `SELECT NULL::jsonb, to_jsonb(n) FROM new_rows n`, action: `'insert'`, changes: changesOf('new') },
  DELETE: { rows: `SELECT to_jsonb(o), NULL::jsonb FROM old_rows o`, action: `'delete'`, changes: changesOf('old') },
  UPDATE: {
    // PostgreSQL appends each updated row's old and new versions to the two transition tables together: the i-th
    // old row and the i-th new row are the same row, whatever its key became.
    rows: `SELECT o.row, n.row
             FROM (SELECT to_jsonb(o) AS row, row_number() OVER () AS i FROM old_rows o) AS o
             JOIN (SELECT to_jsonb(n) AS row, row_number() OVER () AS i FROM new_rows n) AS n USING (i)`,
    action: `CASE WHEN r.old_row->>'deleted_at' IS NULL AND r.new_row->>'deleted_at' IS NOT NULL THEN 'soft_delete'
                  WHEN r.old_row->>'deleted_at' IS NOT NULL AND r.new_row->>'deleted_at' IS NULL THEN 'restore'
                  ELSE 'update' END`,
    changes: `(SELECT coalesce(jsonb_object_agg(c.key, jsonb_build_object('old', r.old_row->c.key, 'new', c.value)), '{}'::jsonb)
                 FROM jsonb_each(r.new_row - left_out) AS c WHERE r.old_row->c.key IS DISTINCT FROM c.value)`,
  },
};

/**
 * The audit_log rows of one statement, as audit_row() wrote them row by row; an update that changed no recorded
 * column leaves none. OFFSET 0 keeps PostgreSQL from flattening the rows' subquery into each reference of
 * `any_row`, which would turn every row into jsonb once per reference instead of once.
 */
const auditRows = ({ rows, action, changes }: EventAudit) => `
  INSERT INTO audit_log (id, tenant_id, project_id, table_name, row_id, action, changes, actor_id, request_id)
  SELECT audit_uuidv7(), (r.any_row->>TG_ARGV[0])::uuid,
         coalesce(r.any_row->>'project_id', CASE WHEN TG_TABLE_NAME = 'projects' THEN r.any_row->>'id' END)::uuid,
         TG_TABLE_NAME, (SELECT string_agg(r.any_row->>k, ':') FROM unnest(key_columns) AS k), ${action}, d.changes, acting_user, request
    FROM (SELECT p.old_row, p.new_row, coalesce(p.new_row, p.old_row) AS any_row
            FROM (${rows}) AS p(old_row, new_row) OFFSET 0) AS r
   CROSS JOIN LATERAL (SELECT ${changes} AS changes) AS d
   WHERE r.old_row IS NULL OR r.new_row IS NULL OR d.changes <> '{}'::jsonb`;

/**
 * The audit trail written set-based: one INSERT ... SELECT per statement from its transition tables, instead of a
 * trigger call and an INSERT per row (which cost a bulk import most of its time), with the same audit rows.
 * Arguments of audit_statement(), as of audit_row(): the tenant column, then the key columns.
 */
export class AuditStatements1764000018000 implements MigrationInterface {
  name = 'AuditStatements1764000018000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `CREATE FUNCTION audit_statement() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
       DECLARE
         key_columns text[] := TG_ARGV[1:TG_NARGS - 1];
         acting_user uuid := nullif(current_setting('app.current_user_id', true), '')::uuid;
         request text := nullif(current_setting('app.request_id', true), '');
         -- Secrets and hashes never enter the log; bookkeeping timestamps (updated_at, an API key's last use) are
         -- no change of their own. Read once per statement from the table's columns, not matched per row and key.
         left_out text[] := ARRAY(SELECT a.attname::text FROM pg_attribute a
                                   WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped
                                     AND (a.attname ~ '(^|_)(password|secret|token)(_|$)|_hash$|_encrypted$'
                                          OR a.attname IN ('updated_at', 'last_used_at')));
       BEGIN
         IF TG_OP = 'INSERT' THEN ${auditRows(EVENTS.INSERT)};
         ELSIF TG_OP = 'UPDATE' THEN ${auditRows(EVENTS.UPDATE)};
         ELSE ${auditRows(EVENTS.DELETE)};
         END IF;
         RETURN NULL;
       END $$`,
      `GRANT CREATE ON SCHEMA public TO crm_service`,
      `ALTER FUNCTION audit_statement() OWNER TO crm_service`,
      `REVOKE CREATE ON SCHEMA public FROM crm_service`,
      `REVOKE ALL ON FUNCTION audit_statement() FROM PUBLIC`,
    ]);
    const tables = await triggered(q, 'audit_row');
    await run(
      q,
      tables.flatMap(({ table, args }) => [`DROP TRIGGER audit_row ON ${table}`, ...statementAuditTriggers(table, args)]),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    const tables = await triggered(q, AUDIT_TRIGGERS[0]);
    await run(q, [
      ...tables.flatMap(({ table, args }) => [...AUDIT_TRIGGERS.map((t) => `DROP TRIGGER ${t} ON ${table}`), rowAuditTrigger(table, args)]),
      `DROP FUNCTION audit_statement()`,
    ]);
  }
}

/** The tables with the trigger `name`, and the arguments it passes its function. */
async function triggered(q: QueryRunner, name: string): Promise<{ table: string; args: string[] }[]> {
  const rows: { table: string; args: Buffer }[] = await q.query(
    `SELECT t.tgrelid::regclass::text AS table, t.tgargs AS args FROM pg_trigger t WHERE t.tgname = $1 AND NOT t.tgisinternal ORDER BY 1`,
    [name],
  );
  // tgargs: each argument followed by a NUL byte.
  return rows.map((r) => ({ table: r.table, args: r.args.toString('utf8').split('\0').slice(0, -1) }));
}
