import { Client, Pool } from 'pg';
import { loadConfig } from '#config/app-config';
import { toClientConfig } from '#persistence/connection-options';
import { OutboxRelay } from '#outbox/outbox-relay';
import { Tenant } from './api-process';
import { BenchDb, appPool, inTenant, insertBacklog, relayClient, unfinishedEvents, vacuumOutbox } from './db';
import { RelayHost, probe, startRelayHost } from './relay-host';
import { nowMs, sleep, summarize } from './stats';

export interface DrainResult {
  batchSize: number;
  events: number;
  seconds: number;
  eventsPerSec: number;
}

/** Starts the relay and resolves once no event of the tenant is left unfinished; returns the seconds it took. */
export async function drainWithRelay(relay: OutboxRelay, pool: Pool, tenant: Tenant): Promise<number> {
  const started = nowMs();
  await relay.start();
  await relay.wake();
  while ((await unfinishedEvents(pool, tenant.tenantId)) > 0) {
    if (nowMs() - started > 300_000) throw new Error('the relay left events unfinished for 5 minutes (failing consumer?)');
    await sleep(20);
    await relay.wake();
  }
  return (nowMs() - started) / 1000;
}

/** A backlog of `count` events bulk-inserted with the relay stopped, then drained by a fresh relay through the bench consumer. */
export async function relayDrain(db: BenchDb, tenant: Tenant, count: number, batchSize?: number): Promise<DrainResult> {
  const pool = appPool(db, 2);
  let host: RelayHost | undefined;
  try {
    host = await startRelayHost(db, batchSize ? { RELAY_BATCH_SIZE: String(batchSize) } : {});
    await insertBacklog(pool, tenant, 'bench.drain', count);
    await vacuumOutbox(db);
    let handled = 0;
    probe.onEvents = (events) => (handled += events.length);
    const seconds = await drainWithRelay(host.relay, pool, tenant);
    if (handled !== count) throw new Error(`the bench consumer handled ${handled} of ${count} events`);
    return { batchSize: batchSize ?? defaultBatchSize(), events: count, seconds, eventsPerSec: count / seconds };
  } finally {
    probe.onEvents = () => undefined;
    await host?.close();
    await pool.end();
  }
}

/**
 * The same claim + record + mark work as plain SQL from one connection, without Nest, TypeORM or a consumer:
 * `outbox_claim()`, then one tenant transaction inserting `processed_events` and marking the batch processed.
 */
export async function plainSqlDrain(db: BenchDb, tenant: Tenant, count: number, batchSize: number): Promise<DrainResult> {
  const pool = appPool(db, 1);
  const client = new Client(toClientConfig(db.app));
  const claimer = relayClient(db);
  await client.connect();
  await claimer.connect();
  try {
    await insertBacklog(pool, tenant, 'bench.plain', count);
    await vacuumOutbox(db);
    const started = nowMs();
    let done = 0;
    for (;;) {
      const { rows } = await claimer.query<{ id: string; event_id: string; claim_token: string }>(
        'SELECT id, event_id, claim_token FROM outbox_claim($1, 60)',
        [batchSize],
      );
      if (rows.length === 0) break;
      await inTenant(client, tenant.tenantId, async () => {
        await client.query(
          `INSERT INTO processed_events (consumer_name, event_id, tenant_id) SELECT 'bench.plain', unnest($1::uuid[]), $2 ON CONFLICT DO NOTHING`,
          [rows.map((r) => r.event_id), tenant.tenantId],
        );
        await client.query(
          `UPDATE outbox_events SET status = 'processed', processed_at = now(), locked_until = NULL, last_error = NULL
            WHERE id = ANY($1::uuid[]) AND status = 'processing' AND claim_token = $2`,
          [rows.map((r) => r.id), rows[0].claim_token],
        );
      });
      done += rows.length;
    }
    const seconds = (nowMs() - started) / 1000;
    if (done !== count) throw new Error(`the plain drain processed ${done} of ${count} events`);
    return { batchSize, events: count, seconds, eventsPerSec: count / seconds };
  } finally {
    await client.end();
    await claimer.end();
    await pool.end();
  }
}

/** How long an empty claim (`outbox_claim`, nothing due) takes as crm_relay: p50 of `samples` calls, in ms. */
export async function emptyClaimMs(db: BenchDb, batchSize: number, samples = 50): Promise<number> {
  const client = relayClient(db);
  await client.connect();
  try {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = nowMs();
      await client.query('SELECT * FROM outbox_claim($1, 60)', [batchSize]);
      times.push(nowMs() - t0);
    }
    return summarize(times).p50;
  } finally {
    await client.end();
  }
}

export function defaultBatchSize(): number {
  return loadConfig().relay.batchSize;
}
