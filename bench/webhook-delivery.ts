import { verifiedBy, WebhookReceiver } from '../test/support/webhook-receiver';
import { Tenant, startApiProcess } from './api-process';
import { BenchDb, appPool, inTenant, insertBacklog, vacuumOutbox } from './db';
import { startRelayHost } from './relay-host';
import { nowMs, sleep } from './stats';

export interface WebhookDeliveryResult {
  deliveries: number;
  seconds: number;
  perSec: number;
  /** Deliveries whose signature did not verify with the subscription's secret (should be 0). */
  unverified: number;
}

/** The receivers are on this machine: private addresses allowed, as in development. */
const LOCAL = { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' };

/**
 * A backlog of `count` `bench.webhook` events, inserted with the relay stopped, then drained by a fresh relay
 * process: the fan-out queues one delivery per event for a subscription to a local receiver (answering 200 and
 * verifying every signature), and the dispatcher sends them. Timed from relay start to the last delivery
 * recorded as succeeded.
 */
export async function webhookDeliveries(db: BenchDb, tenant: Tenant, count: number): Promise<WebhookDeliveryResult> {
  const receiver = new WebhookReceiver();
  const url = `${await receiver.start()}/bench`;
  const api = await startApiProcess(db, LOCAL);
  let subscription: { id: string; secret: string };
  try {
    const res = await fetch(`${api.baseUrl}/api/v1/webhook-subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url, events: ['bench.webhook'], description: 'bench receiver' }),
    });
    subscription = (await res.json()) as { id: string; secret: string };
    if (res.status !== 201) throw new Error(`subscription create failed: ${res.status} ${JSON.stringify(subscription)}`);
  } finally {
    await api.stop();
  }
  const pool = appPool(db, 2);
  const host = await startRelayHost(db, LOCAL);
  try {
    await insertBacklog(pool, tenant, 'bench.webhook', count);
    await vacuumOutbox(db);
    const started = nowMs();
    await host.relay.start();
    const client = await pool.connect();
    try {
      for (;;) {
        const { rows } = await inTenant(client, tenant.tenantId, () =>
          client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1 AND status = 'succeeded'`,
            [subscription.id],
          ),
        );
        if (rows[0].n >= count) break;
        if (nowMs() - started > 300_000) throw new Error(`only ${rows[0].n} of ${count} webhooks delivered in 5 minutes`);
        await sleep(20);
      }
    } finally {
      client.release();
    }
    const seconds = (nowMs() - started) / 1000;
    const received = receiver.on('/bench');
    const unverified = received.filter((r) => verifiedBy([subscription.secret], r.headers, r.body).length === 0).length;
    return { deliveries: received.length, seconds, perSec: count / seconds, unverified };
  } finally {
    await host.close();
    await pool.end();
    await receiver.stop();
  }
}
