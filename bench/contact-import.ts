import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { ApiProcess, Tenant } from './api-process';
import { BenchDb, appPool, inTenant } from './db';
import { nowMs } from './stats';

export interface ImportResult {
  rows: number;
  seconds: number;
  rowsPerSec: number;
  created?: number;
  rejected?: number;
}

const ROWS_PER_CHUNK = 1000;

/** Row `i` of the generated upload: a unique name, email, phone and external id, two tags. */
function row(i: number): [string, string, string, string, string] {
  return [`Imported Contact ${i}`, `import-${i}@bench.example.com`, `+1415${2_000_000 + i}`, `bench-${i}`, 'imported|bench'];
}

async function* csv(count: number, prefix: string): AsyncGenerator<string> {
  yield 'name,email,phone,externalId,tags\n';
  for (let i = 0; i < count; i += ROWS_PER_CHUNK) {
    let chunk = '';
    for (let j = i; j < Math.min(count, i + ROWS_PER_CHUNK); j++)
      chunk += `${row(j)
        .join(',')
        .replace(/import-|bench-/g, (m) => prefix + m)}\n`;
    yield chunk;
  }
}

/** POST /contacts/import of a `count`-row CSV generated while it is sent: the time until the final report. */
export async function importOverHttp(api: ApiProcess, tenant: Tenant, count: number, prefix: string): Promise<ImportResult> {
  const started = nowMs();
  const report = await new Promise<{ status: string; created: number; rejected: number }>((resolve, reject) => {
    const req = http.request(
      `${api.baseUrl}/api/v1/contacts/import`,
      { method: 'POST', headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'text/csv' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 201) reject(new Error(`import answered ${res.statusCode}: ${body.slice(0, 500)}`));
          else resolve(JSON.parse(body));
        });
      },
    );
    req.on('error', reject);
    Readable.from(csv(count, prefix)).pipe(req);
  });
  const seconds = (nowMs() - started) / 1000;
  if (report.status !== 'completed' || report.created !== count) throw new Error(`import ended ${JSON.stringify(report).slice(0, 500)}`);
  return { rows: count, seconds, rowsPerSec: count / seconds, created: report.created, rejected: report.rejected };
}

/**
 * The baseline: the same rows COPYed as crm_app into a temporary table, then moved into `contacts` by one
 * INSERT ... SELECT under RLS (PostgreSQL refuses COPY FROM into a table with row-level security): no validation,
 * no events, one transaction.
 */
/** `area`: the phones' area code instead of 415, so that each run's phones are new (they are unique per project). */
export async function copyWithPlainPg(db: BenchDb, tenant: Tenant, count: number, prefix: string, area: string): Promise<ImportResult> {
  const pool = appPool(db, 1);
  const client = await pool.connect();
  const started = nowMs();
  try {
    await inTenant(client, tenant.tenantId, async () => {
      await client.query(
        `CREATE TEMPORARY TABLE staged_contacts (name text, email text, phone text, external_id text, tags text[]) ON COMMIT DROP`,
      );
      const copy = client.query(copyFrom(`COPY staged_contacts FROM STDIN WITH (FORMAT csv)`));
      async function* lines(): AsyncGenerator<string> {
        for (let i = 0; i < count; i += ROWS_PER_CHUNK) {
          let chunk = '';
          for (let j = i; j < Math.min(count, i + ROWS_PER_CHUNK); j++) {
            const [name, email, phone, externalId] = row(j);
            chunk += `${name},${prefix}${email},${phone.replace('+1415', `+1${area}`)},${prefix}${externalId},"{bench,imported}"\n`;
          }
          yield chunk;
        }
      }
      await pipeline(Readable.from(lines()), copy);
      await client.query(
        `INSERT INTO contacts (id, tenant_id, project_id, name, email, phone, external_id, tags, version)
         SELECT gen_random_uuid(), $1, $2, name, email, phone, external_id, tags, 1 FROM staged_contacts`,
        [tenant.tenantId, tenant.projectId],
      );
    });
  } finally {
    client.release();
    await pool.end();
  }
  const seconds = (nowMs() - started) / 1000;
  return { rows: count, seconds, rowsPerSec: count / seconds };
}
