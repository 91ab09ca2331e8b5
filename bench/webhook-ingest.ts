import autocannon from 'autocannon';
import { Pool, PoolClient } from 'pg';
import { ApiProcess, Tenant } from './api-process';
import { LoadResult } from './contact-create';
import { inTenant } from './db';
import { nowMs, sleep } from './stats';

export interface IngestResult {
  accepted: LoadResult;
  /** From the first delivery until every accepted delivery is a message row (relay running throughout). */
  processed: { messages: number; seconds: number; perSec: number; p50Ms: number; p99Ms: number };
}

async function inTenantQuery<T>(pool: Pool, tenantId: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inTenant(client, tenantId, () => work(client));
  } finally {
    client.release();
  }
}

/** A channel of the tenant whose webhook takes unsigned WAHA deliveries: its id and token. */
export async function createChannel(api: ApiProcess, tenant: Tenant): Promise<{ id: string; token: string }> {
  const res = await fetch(`${api.baseUrl}/api/v1/channels`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench WhatsApp', type: 'waha', config: { baseUrl: 'http://127.0.0.1:9', session: 'default' } }),
  });
  const body = (await res.json()) as { id: string; webhookUrl: string };
  if (res.status !== 201) throw new Error(`channel create failed: ${res.status} ${JSON.stringify(body)}`);
  return { id: body.id, token: body.webhookUrl.split('/').pop()! };
}

/** An inbound WAHA `message` from one of 500 senders, each delivery a new message id. */
function delivery(n: number): string {
  const phone = `55119${String(87000000 + (n % 500)).padStart(8, '0')}`;
  const chat = `${phone}@c.us`;
  return JSON.stringify({
    event: 'message',
    session: 'default',
    payload: {
      id: `false_${chat}_BENCH${process.pid}X${n}`,
      timestamp: Math.floor(Date.now() / 1000),
      from: chat,
      fromMe: false,
      body: `bench message ${n}`,
      hasMedia: false,
      _data: { notifyName: `Sender ${n % 500}` },
    },
  });
}

/**
 * WAHA deliveries at 32 connections through the real webhook route (each committed to the inbox before its 202),
 * while a relay turns them into contacts, chats, sessions and messages; then waits until every one is a message.
 */
export async function ingestWebhooks(
  api: ApiProcess,
  channel: { id: string; token: string },
  tenant: Tenant,
  pool: Pool,
  seconds: number,
): Promise<IngestResult> {
  let n = 0;
  const started = nowMs();
  const result = await autocannon({
    url: `${api.baseUrl}/api/v1/webhooks/waha/${channel.token}`,
    connections: 32,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: delivery(n++) }) }],
  });
  const accepted = result['2xx'];
  const count = () =>
    inTenantQuery(pool, tenant.tenantId, async (client) => {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM messages WHERE channel_id = $1`, [channel.id]);
      return rows[0].n as number;
    });
  let messages = await count();
  while (messages < accepted) {
    if (nowMs() - started > 300_000) throw new Error(`only ${messages} of ${accepted} deliveries became messages in 5 minutes`);
    await sleep(50);
    messages = await count();
  }
  const total = (nowMs() - started) / 1000;
  // Each message row's commit-side age against its raw event's: queueing in the inbox included (server clock).
  const latency = await inTenantQuery(pool, tenant.tenantId, async (client) => {
    const { rows } = await client.query(
      `SELECT percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM m.created_at - e.received_at) * 1000) AS ms
         FROM messages m
         JOIN channel_inbound_events e ON e.channel_id = m.channel_id AND (e.body::jsonb -> 'payload' ->> 'id') = m.external_id
        WHERE m.channel_id = $1`,
      [channel.id],
    );
    return rows[0].ms as [number, number];
  });
  return {
    accepted: {
      reqPerSec: accepted / result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      ok: accepted,
      failed: result.non2xx + result.errors,
    },
    processed: { messages, seconds: total, perSec: messages / total, p50Ms: latency[0], p99Ms: latency[1] },
  };
}
