import { Client } from 'pg';

/**
 * EXPLAIN ANALYZE of a statement as crm_app in the tenant (so RLS applies), with auto_explain's plans of the
 * statements it runs inside functions (contact_search): the plan text, rolled back. `admin` must be a superuser
 * connection (LOAD, SET ROLE).
 */
export async function planAsApp(admin: Client, tenantId: string, sql: string, params: unknown[]): Promise<string> {
  const notices: string[] = [];
  const onNotice = (n: { message?: string }) => void notices.push(n.message ?? '');
  admin.on('notice', onNotice);
  await admin.query('BEGIN');
  try {
    await admin.query(`LOAD 'auto_explain'`);
    await admin.query(`SET LOCAL auto_explain.log_min_duration = 0`);
    await admin.query(`SET LOCAL auto_explain.log_nested_statements = on`);
    await admin.query(`SET LOCAL auto_explain.log_level = notice`);
    await admin.query(`SET LOCAL ROLE crm_app`);
    await admin.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantId]);
    const { rows } = await admin.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params);
    return [...rows.map((r: Record<string, string>) => r['QUERY PLAN']), ...notices].join('\n');
  } finally {
    await admin.query('ROLLBACK');
    admin.off('notice', onNotice);
  }
}

/** The scans of a plan that read an index, and any sequential scan: "Index Scan Backward using pk_contacts on contacts". */
export function scansIn(plan: string): string[] {
  const found = plan.match(/(?:(?:Index|Index Only|Bitmap Index) Scan(?: Backward)? (?:using|on) \w+(?: on \w+)?|Seq Scan on \w+)/g) ?? [];
  return [...new Set(found)];
}

export const usesIndex = (plan: string, index: string) =>
  new RegExp(`(Index|Index Only|Bitmap Index) Scan( Backward)? (using|on) ${index}\\b`).test(plan);
