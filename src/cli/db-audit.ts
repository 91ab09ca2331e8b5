import 'reflect-metadata';
import { Client } from 'pg';
import { loadConfig } from '#config/app-config';
import { toClientConfig } from '#persistence/connection-options';
import { ENTITIES, REPOSITORIES } from '../bounded-contexts';
import { formatReport } from '../tooling/catalog-audit/audit-printer';
import { auditCatalog } from '../tooling/catalog-audit/catalog-audit';
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

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`db:audit failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
