import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { eventually, Tenant, TestApp } from './test-app';

/** The shared WAHA fixtures live beside the repository (`../shared`), as in the parser's spec. */
const FIXTURES = resolve(__dirname, '../../../shared/fixtures/waha');

/** A WAHA webhook body. */
export type WahaBody = { event: string; session: string; payload: Record<string, unknown> } & Record<string, unknown>;

export const fixture = (name: string): WahaBody => JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8')) as WahaBody;

export const withPayload = (body: WahaBody, changes: Record<string, unknown>): WahaBody => ({
  ...body,
  payload: { ...body.payload, ...changes },
});

/**
 * WEBJS messages with the contact of `phone` (digits): `said(n, seconds, fromMe?)` is message `n` at `seconds`
 * (Unix time), written by them or (fromMe) from the channel's phone, with the text `message <n>`. `prefix` keeps
 * the message ids of different suites apart.
 */
export const saidBy =
  (phone: string, prefix: string) =>
  (n: string, seconds: number, fromMe = false): WahaBody =>
    withPayload(fixture('message-fromme.json'), {
      id: `${fromMe}_${phone}@c.us_${prefix}${n}`,
      timestamp: seconds,
      from: fromMe ? '11111111111@c.us' : `${phone}@c.us`,
      to: fromMe ? `${phone}@c.us` : '11111111111@c.us',
      fromMe,
      body: `message ${n}`,
    });

/** A WAHA channel of `tenant` for a session (no webhook secret: deliveries need no signature). */
export async function wahaChannel(
  t: TestApp,
  tenant: Tenant,
  extra: Record<string, unknown> = {},
  session = 'default',
): Promise<{ id: string; token: string }> {
  const res = await t.http
    .post('/api/v1/channels')
    .set(tenant.auth)
    .send({ name: 'WhatsApp', type: 'waha', config: { baseUrl: 'http://127.0.0.1:9', session }, ...extra })
    .expect(201);
  return { id: res.body.id as string, token: (res.body.webhookUrl as string).split('/').pop()! };
}

/**
 * Delivers bodies through the real webhook route, one after the other, and waits until the outbox processed them
 * (`owner` reads the outbox across tenants); an event that failed fails the call. Returns the inbox ids.
 */
export async function deliverWaha(t: TestApp, owner: Client, token: string, ...bodies: WahaBody[]): Promise<string[]> {
  const ids: string[] = [];
  for (const body of bodies) {
    const res = await t.http
      .post(`/api/v1/webhooks/waha/${token}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body))
      .expect(202);
    ids.push(res.body.id);
  }
  await eventually(async () => {
    const { rows } = await owner.query(`SELECT status, last_error FROM outbox_events WHERE aggregate_id = ANY($1::uuid[])`, [ids]);
    const failed = rows.find((r) => r.status === 'failed');
    if (failed) throw new Error(`an event failed: ${failed.last_error}`);
    return rows.length > 0 && rows.every((r) => r.status === 'processed');
  });
  return ids;
}
