import 'reflect-metadata';
import { Client } from 'pg';
import { loadConfig } from '#config/app-config';
import { AuditReport, AuditRow, auditCatalog, Coverage } from '#persistence/catalog-audit';
import { toClientConfig } from '#persistence/connection-options';
import { ENTITIES, REPOSITORIES } from '../bounded-contexts';
import { openOwnerDatabase } from './owner-database';

/**
 * `npm run db:audit [-- --json]`: checks the live catalog against the tenancy and persistence contracts.
 * Exit code 0 when every invariant holds, 1 when one fails, 2 when the audit could not run.
 */
async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== '--json');
  if (unknown.length > 0) {
    process.stderr.write(`usage: db-audit [--json] (unknown: ${unknown.join(' ')})\n`);
    return 2;
  }
  const database = await openOwnerDatabase(loadConfig(), { migrate: true });
  try {
    const client = new Client(toClientConfig(database.owner));
    await client.connect();
    try {
      const report = await auditCatalog(client, ENTITIES, REPOSITORIES);
      const where = `${database.owner.host}:${database.owner.port}/${database.owner.database}${database.embedded ? ' (embedded)' : ''}`;
      process.stdout.write(argv.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, where));
      return report.ok ? 0 : 1;
    } finally {
      await client.end();
    }
  } finally {
    await database.close();
  }
}

const mark = (value: boolean): string => (value ? '✅' : '❌');

export function formatReport(report: AuditReport, where: string): string {
  const lines = [`# Catalog audit: ${where}`, '', ...formatTable(report.rows), '', ...formatFindings(report), ...formatSummary(report)];
  return `${lines.join('\n')}\n`;
}

function formatTable(rows: AuditRow[]): string[] {
  const header = ['#', 'Entity', 'Table', 'Version', 'Tenant', 'Soft Del', 'RLS', 'Forced', 'Policy', 'Repository', 'Scope', 'Status'];
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
  return [
    ...(lines.length > 0 ? ['## Findings', '', ...lines, ''] : []),
    ...(globals.length > 0 ? ['## Global tables (no tenant data)', '', ...globals, ''] : []),
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

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`db:audit failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
