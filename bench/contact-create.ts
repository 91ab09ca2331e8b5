import autocannon from 'autocannon';
import { PoolClient } from 'pg';
import { newId } from '#kernel';
import { ApiProcess, Tenant } from './api-process';
import { BenchDb, appPool, inTenant } from './db';
import { nowMs, summarize } from './stats';

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  failed: number;
}

const CONNECTIONS = 32;

/** POST /api/v1/contacts at 32 connections, each request a unique email. */
export async function createContactsOverHttp(api: ApiProcess, tenant: Tenant, seconds: number, label: string): Promise<LoadResult> {
  let n = 0;
  const body = () => JSON.stringify({ name: 'Bench Contact', email: `${label}-${n++}@bench.example.com`, tags: ['bench'] });
  const result = await autocannon({
    url: `${api.baseUrl}/api/v1/contacts`,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: body() }) }],
  });
  const ok = result['2xx'];
  return {
    reqPerSec: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok,
    failed: result.non2xx + result.errors,
  };
}

/** The tables one contact creation writes; a copy without RLS measures what the policies cost. */
export interface ContactTables {
  contacts: string;
  outbox: string;
  eventStore: string;
}
const TABLES: ContactTables = { contacts: 'contacts', outbox: 'outbox_events', eventStore: 'contact_event_store' };

/** The same transaction shape with plain `pg` as crm_app: 32 clients looping for `seconds`. */
export async function createContactsWithPlainPg(
  db: BenchDb,
  tenant: Tenant,
  seconds: number,
  label: string,
  tables = TABLES,
): Promise<LoadResult> {
  const pool = appPool(db, CONNECTIONS);
  const latencies: number[] = [];
  let failed = 0;
  let n = 0;
  const started = nowMs();
  const deadline = started + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        const client = await pool.connect();
        try {
          while (nowMs() < deadline) {
            const t0 = nowMs();
            try {
              await createOne(client, tenant, `${label}-${n++}@bench.example.com`, tables);
              latencies.push(nowMs() - t0);
            } catch {
              failed += 1;
            }
          }
        } finally {
          client.release();
        }
      }),
    );
  } finally {
    await pool.end();
  }
  const s = summarize(latencies);
  return { reqPerSec: s.count / ((nowMs() - started) / 1000), p50Ms: s.p50, p99Ms: s.p99, ok: s.count, failed };
}

async function createOne(client: PoolClient, tenant: Tenant, email: string, tables: ContactTables): Promise<void> {
  const contactId = newId();
  const eventId = newId();
  const now = new Date();
  const data = JSON.stringify({ name: 'Bench Contact', email, tags: ['bench'] });
  await inTenant(client, tenant.tenantId, async () => {
    await client.query(
      `INSERT INTO ${tables.contacts} (id, tenant_id, project_id, name, email, tags, version) VALUES ($1, $2, $3, $4, $5, $6, 1)`,
      [contactId, tenant.tenantId, tenant.projectId, 'Bench Contact', email, ['bench']],
    );
    await client.query(
      `INSERT INTO ${tables.outbox} (id, event_id, tenant_id, project_id, aggregate_type, aggregate_id, aggregate_version,
         event_type, event_version, event_data, metadata, occurred_at)
       VALUES ($1, $2, $3, $4, 'contact', $5, 1, 'contact.created', 1, $6, '{}', $7)`,
      [newId(), eventId, tenant.tenantId, tenant.projectId, contactId, data, now],
    );
    await client.query(
      `INSERT INTO ${tables.eventStore} (id, tenant_id, project_id, aggregate_id, sequence_number, event_id, event_type, event_data, occurred_at)
       VALUES ($1, $2, $3, $4, 1, $5, 'contact.created', $6, $7)`,
      [newId(), tenant.tenantId, tenant.projectId, contactId, eventId, data, now],
    );
  });
}
