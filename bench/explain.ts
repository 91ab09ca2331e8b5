import { Client } from 'pg';

/**
 * Runs `fn` as `role` in a transaction where auto_explain logs the plan of every statement, also those run inside
 * functions (contact_search, outbox_claim); rolled back. `admin` must be a superuser connection (LOAD, SET ROLE).
 */
export async function withPlansLogged<T>(admin: Client, role: string, fn: () => Promise<T>): Promise<{ result: T; plans: string[] }> {
  const plans: string[] = [];
  const onNotice = (n: { message?: string }) => void plans.push(n.message ?? '');
  admin.on('notice', onNotice);
  await admin.query('BEGIN');
  try {
    await admin.query(`LOAD 'auto_explain'`);
    await admin.query(`SET LOCAL auto_explain.log_min_duration = 0`);
    await admin.query(`SET LOCAL auto_explain.log_nested_statements = on`);
    await admin.query(`SET LOCAL auto_explain.log_level = notice`);
    await admin.query(`SET LOCAL ROLE ${role}`);
    return { result: await fn(), plans };
  } finally {
    await admin.query('ROLLBACK');
    admin.off('notice', onNotice);
  }
}

/** EXPLAIN ANALYZE of a statement as crm_app in the tenant (so RLS applies), with the plans of its nested statements. */
export async function planAsApp(admin: Client, tenantId: string, sql: string, params: unknown[]): Promise<string> {
  const { result, plans } = await withPlansLogged(admin, 'crm_app', async () => {
    await admin.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantId]);
    const { rows } = await admin.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params);
    return rows.map((r: Record<string, string>) => r['QUERY PLAN']);
  });
  return [...result, ...plans].join('\n');
}

/** The scans of a plan that read an index, and any sequential scan: "Index Scan Backward using pk_contacts on contacts". */
export function scansIn(plan: string): string[] {
  const found = plan.match(/(?:(?:Index|Index Only|Bitmap Index) Scan(?: Backward)? (?:using|on) \w+(?: on \w+)?|Seq Scan on \w+)/g) ?? [];
  return [...new Set(found)];
}

export const usesIndex = (plan: string, index: string) =>
  new RegExp(`(Index|Index Only|Bitmap Index) Scan( Backward)? (using|on) ${index}\\b`).test(plan);
