import { AuditReport, AuditRow, Coverage } from './audit-rules';

/** The db:audit report as Markdown: the table, the findings, the coverage. */
const mark = (value: boolean): string => (value ? '✅' : '❌');

export function formatReport(report: AuditReport, where: string): string {
  const lines = [`# Catalog audit: ${where}`, '', ...formatTable(report.rows), '', ...formatFindings(report), ...formatSummary(report)];
  return `${lines.join('\n')}\n`;
}

function formatTable(rows: AuditRow[]): string[] {
  const header = [
    '#',
    'Entity',
    'Table',
    'Version',
    'Tenant',
    'Soft Del',
    'RLS',
    'Forced',
    'Policy',
    'Audit',
    'Repository',
    'Scope',
    'Status',
  ];
  const body = rows.map((r, i) => [
    String(i + 1),
    r.entity ?? '-',
    r.table,
    mark(r.version),
    mark(r.tenant),
    mark(r.softDelete),
    mark(r.rlsEnabled),
    mark(r.rlsForced),
    r.policy ?? '-',
    r.audited ? '✅' : r.auditExempt !== null ? 'exempt' : r.tenantScoped ? '❌' : '-',
    r.repository ?? '-',
    r.tenantScoped ? 'tenant' : r.global !== null ? 'global' : '?',
    r.ok ? '✅ ok' : `❌ ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`,
  ]);
  return [header, header.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`);
}

function formatFindings(report: AuditReport): string[] {
  const lines: string[] = [];
  for (const r of report.rows) {
    for (const p of r.problems) lines.push(`- ❌ ${r.table}: ${p}`);
    for (const w of r.warnings) lines.push(`- ⚠️ ${r.table}: ${w}`);
  }
  for (const p of report.role.problems) lines.push(`- ❌ role ${report.role.role}: ${p}`);
  const globals = report.rows.filter((r) => r.global !== null).map((r) => `- ${r.table}: ${r.global}`);
  const exempt = report.rows.filter((r) => r.auditExempt !== null).map((r) => `- ${r.table}: ${r.auditExempt}`);
  return [
    ...(lines.length > 0 ? ['## Findings', '', ...lines, ''] : []),
    ...(globals.length > 0 ? ['## Global tables (no tenant data)', '', ...globals, ''] : []),
    ...(exempt.length > 0 ? ['## Tenant tables not audited', '', ...exempt, ''] : []),
  ];
}

function formatSummary(report: AuditReport): string[] {
  const s = report.summary;
  const role = report.role;
  const pct = (c: Coverage): string => `${c.count}/${c.total} (${c.percent === null ? 'n/a' : `${c.percent}%`})`;
  const roleLine =
    role.problems.length === 0
      ? `✅ ${role.role}: NOSUPERUSER, NOBYPASSRLS, owns no relation, member of no role`
      : `❌ ${role.role}: ${role.problems.join('; ')}`;
  return [
    '## Coverage summary',
    '',
    `Tables: ${s.tables} (excluding migrations); entities: ${s.entities}; rows: ${s.rows}`,
    '',
    '**By feature**:',
    `- With optimistic locking (version integer NOT NULL): ${pct(s.version)}`,
    `- With multi-tenancy (tenant_id): ${pct(s.tenant)}`,
    `- With soft delete (deleted_at): ${pct(s.softDelete)}`,
    `- Tenant tables with RLS enabled and forced: ${pct(s.rlsForced)}`,
    `- Tenant tables with a tenant_isolation-style policy: ${pct(s.tenantPolicy)}`,
    `- Tenant tables audited (trigger) or exempt with a reason: ${pct(s.audit)}`,
    `- With repository: ${pct(s.repository)}`,
    `- Global tables (commented): ${s.global}`,
    '',
    `**Application role**: ${roleLine}`,
    '',
    report.ok
      ? '**Result**: ✅ every invariant holds'
      : `**Result**: ❌ ${s.failing} table(s) fail${role.problems.length > 0 ? ', and the application role' : ''}`,
  ];
}
