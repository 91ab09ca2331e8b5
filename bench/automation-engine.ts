import { ApiProcess, Tenant, startApiProcess } from './api-process';
import { BenchDb, appPool, inTenant, unfinishedEvents } from './db';
import { drainWithRelay } from './relay-throughput';
import { startRelayHost } from './relay-host';

export interface EngineResult {
  automations: number;
  /** contact.created events in the backlog, each evaluated against every automation. */
  events: number;
  /** Runs recorded (the events that matched one automation). */
  runs: number;
  /** Every event drained, including the contact.updated events the runs raised. */
  drained: number;
  seconds: number;
  eventsPerSec: number;
}

const CONCURRENCY = 16;

/**
 * `automations` enabled automations on `contact.created` in the tenant's project, each reading the contact's
 * tags (one in ten contacts carries the tag of one of them, which then adds a tag); a backlog of `contacts`
 * contact.created events made through the API with no relay running, then drained by a fresh relay running every
 * consumer of the application (the engine among them). The rate counts the contact.created events.
 */
export async function automationEngineDrain(db: BenchDb, tenant: Tenant, automations: number, contacts: number): Promise<EngineResult> {
  const api = await startApiProcess(db);
  try {
    for (let i = 0; i < automations; i++)
      await post(api, tenant, '/api/v1/automations', {
        name: `bench ${i}`,
        enabled: true,
        priority: i % 10,
        trigger: { event: 'contact.created' },
        conditions: { all: [{ field: 'tags', op: 'contains', value: `segment-${i}` }] },
        actions: [{ type: 'add_tag', params: { tag: 'routed' } }],
      });
    let next = 0;
    const worker = async () => {
      for (let k = next++; k < contacts; k = next++)
        await post(api, tenant, '/api/v1/contacts', {
          name: `engine ${k}`,
          tags: k % 10 === 0 ? [`segment-${k % automations}`] : ['other'],
        });
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    await api.stop();
  }
  const pool = appPool(db, 2);
  const host = await startRelayHost(db);
  try {
    const events = await unfinishedEvents(pool, tenant.tenantId);
    const seconds = await drainWithRelay(host.relay, pool, tenant);
    const client = await pool.connect();
    try {
      const counts = await inTenant(client, tenant.tenantId, async () => {
        const { rows } = await client.query(
          `SELECT (SELECT count(*)::int FROM automation_executions) AS runs,
                  (SELECT count(*)::int FROM outbox_events WHERE event_type = 'contact.updated' AND metadata ? 'causationId') AS caused`,
        );
        return rows[0] as { runs: number; caused: number };
      });
      return { automations, events, runs: counts.runs, drained: events + counts.caused, seconds, eventsPerSec: events / seconds };
    } finally {
      client.release();
    }
  } finally {
    await host.close();
    await pool.end();
  }
}

async function post(api: ApiProcess, tenant: Tenant, path: string, body: object): Promise<void> {
  const res = await fetch(`${api.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.apiKey}` },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
}
