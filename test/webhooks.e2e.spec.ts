import { Client } from 'pg';
import { TransactionRunner } from '#persistence/transaction-runner';
import { WebhookDispatcher } from '../src/contexts/webhooks/infrastructure/webhook-dispatcher';
import { WebhookHttpClient } from '../src/contexts/webhooks/infrastructure/webhook-http.client';
import { WEBHOOKS_API, WebhooksApi } from '../src/contexts/webhooks/webhooks.api';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';
import { verifiedBy, WebhookReceiver } from './support/webhook-receiver';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('outbound webhooks', () => {
  let t: TestApp;
  let owner: Client;
  const receiver = new WebhookReceiver();
  let base: string;

  beforeAll(async () => {
    base = await receiver.start();
    t = await startTestApp();
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
    await t.close();
    await receiver.stop();
  });

  async function subscribe(tenant: Tenant, path: string, events: string[] = ['contact.*']) {
    const res = await t.http
      .post('/api/v1/webhook-subscriptions')
      .set(tenant.auth)
      .send({ url: `${base}${path}`, events })
      .expect(201);
    return res.body as { id: string; secret: string; version: number };
  }
  const createContact = async (tenant: Tenant, name: string) =>
    (await t.http.post('/api/v1/contacts').set(tenant.auth).send({ name }).expect(201)).body.id as string;
  const deliveries = async (tenant: Tenant, subscriptionId: string) =>
    (await t.http.get(`/api/v1/webhook-subscriptions/${subscriptionId}/deliveries`).set(tenant.auth).expect(200)).body.data as {
      id: string;
      eventId: string;
      eventType: string;
      status: string;
      attempts: number;
      responseStatus: number | null;
      durationMs: number | null;
      error: string | null;
    }[];
  const eventIdOf = async (contactId: string, type: string) =>
    (await owner.query(`SELECT event_id FROM outbox_events WHERE aggregate_id = $1 AND event_type = $2`, [contactId, type])).rows[0]
      .event_id as string;

  it('answers the secret (whsec_) once, keeps it sealed at rest, and never shows it again', async () => {
    const a = await registerTenant(t.http, 'wh-secret');
    const sub = await subscribe(a, '/secret');
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(sub.secret.slice(6), 'base64')).toHaveLength(32);
    expect(sub).toMatchObject({ status: 'active', events: ['contact.*'], version: 1, url: `${base}/secret` });
    const get = await t.http.get(`/api/v1/webhook-subscriptions/${sub.id}`).set(a.auth).expect(200);
    expect(get.headers.etag).toBe('"1"');
    expect(JSON.stringify(get.body)).not.toContain(sub.secret.slice(6, 20));
    const list = await t.http.get('/api/v1/webhook-subscriptions').set(a.auth).expect(200);
    expect(list.body.data.map((s: { id: string }) => s.id)).toEqual([sub.id]);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    const { rows } = await owner.query(`SELECT secret_encrypted FROM webhook_subscriptions WHERE id = $1`, [sub.id]);
    expect(rows[0].secret_encrypted).toMatch(/^v1:/);
    expect(rows[0].secret_encrypted).not.toContain(sub.secret.slice(6, 20));
    // An Idempotency-Key is ignored: a stored response would keep the secret in clear.
    for (const path of ['/api/v1/webhook-subscriptions', `/api/v1/webhook-subscriptions/${sub.id}/rotate-secret`]) {
      const body = path.endsWith('rotate-secret') ? {} : { url: `${base}/secret`, events: ['*'] };
      const first = await t.http.post(path).set(a.auth).set('Idempotency-Key', `wh-${path.length}`).send(body);
      const again = await t.http.post(path).set(a.auth).set('Idempotency-Key', `wh-${path.length}`).send(body);
      expect(again.body.secret).not.toBe(first.body.secret);
    }
    const stored = await owner.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE tenant_id = $1`, [a.tenantId]);
    expect(stored.rows[0].n).toBe(0);
  });

  it('delivers each matching event signed per Standard Webhooks: webhook-id is the event id, the body { type, timestamp, data }', async () => {
    const a = await registerTenant(t.http, 'wh-sign');
    const sub = await subscribe(a, '/signed', ['contact.created']);
    const contactId = await createContact(a, 'Signed Sam');
    const [hit] = await eventually(async () => (receiver.on('/signed').length > 0 ? receiver.on('/signed') : undefined));
    expect(verifiedBy([sub.secret], hit.headers, hit.body)).toEqual([0]);
    // A tampered body or another secret does not verify.
    expect(verifiedBy([sub.secret], hit.headers, hit.body.replace('Signed Sam', 'Forged Sam'))).toEqual([]);
    expect(verifiedBy(['whsec_' + Buffer.alloc(32, 7).toString('base64')], hit.headers, hit.body)).toEqual([]);
    expect(hit.headers['webhook-id']).toBe(await eventIdOf(contactId, 'contact.created'));
    expect(Math.abs(Number(hit.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    expect(hit.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({ type: 'contact.created', data: expect.objectContaining({ name: 'Signed Sam' }) });
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    // contact.updated does not match `contact.created`; the delivery log shows the one delivery.
    await t.http.patch(`/api/v1/contacts/${contactId}`).set(a.auth).send({ name: 'Renamed' }).expect(200);
    await sleep(500);
    expect(receiver.on('/signed')).toHaveLength(1);
    const [delivery] = await deliveries(a, sub.id);
    expect(delivery).toMatchObject({ eventType: 'contact.created', status: 'succeeded', attempts: 1, responseStatus: 200, error: null });
    expect(delivery.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('retries a receiver failing twice with backoff, the same webhook-id each time, and stops once it succeeds', async () => {
    const a = await registerTenant(t.http, 'wh-flaky');
    receiver.answer = (r, n) => (r.path === '/flaky' && n <= 2 ? 500 : 200);
    const sub = await subscribe(a, '/flaky', ['contact.created']);
    await createContact(a, 'Flaky Fred');
    await eventually(async () => receiver.on('/flaky').length >= 3);
    await sleep(1500);
    const hits = receiver.on('/flaky');
    expect(hits).toHaveLength(3);
    expect(new Set(hits.map((h) => h.headers['webhook-id'])).size).toBe(1);
    for (const hit of hits) expect(verifiedBy([sub.secret], hit.headers, hit.body)).toEqual([0]);
    // Backoff: the retries were not immediate.
    expect(hits[1].at - hits[0].at).toBeGreaterThanOrEqual(150);
    expect(hits[2].at - hits[1].at).toBeGreaterThanOrEqual(150);
    const [delivery] = await deliveries(a, sub.id);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 3, responseStatus: 200, error: null });
    const failures = await t.http.get(`/api/v1/webhook-subscriptions/${sub.id}`).set(a.auth).expect(200);
    expect(failures.body.failingSince).toBeNull();
  });

  it('replays a delivery: the same event (same webhook-id) again, with a fresh schedule', async () => {
    const a = await registerTenant(t.http, 'wh-replay');
    const sub = await subscribe(a, '/replay', ['contact.created']);
    await createContact(a, 'Replayed Rita');
    await eventually(async () => receiver.on('/replay').length === 1);
    const [delivery] = await deliveries(a, sub.id);
    const replay = await t.http.post(`/api/v1/webhook-deliveries/${delivery.id}/replay`).set(a.auth).expect(202);
    expect(replay.body).toMatchObject({ id: delivery.id, status: 'pending', attempts: 0 });
    await eventually(async () => receiver.on('/replay').length === 2);
    const [first, second] = receiver.on('/replay');
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    expect(verifiedBy([sub.secret], second.headers, second.body)).toEqual([0]);
    await eventually(async () => (await deliveries(a, sub.id))[0].status === 'succeeded');
    // Another tenant's delivery id is a 404, exactly like a missing one.
    const b = await registerTenant(t.http, 'wh-replay-b');
    const other = await t.http.post(`/api/v1/webhook-deliveries/${delivery.id}/replay`).set(b.auth).expect(404);
    expect(other.body.code).toBe('webhook_delivery.not_found');
  });

  it('signs with the new and the previous secret during the grace period after a rotation', async () => {
    const a = await registerTenant(t.http, 'wh-rotate');
    const sub = await subscribe(a, '/rotate', ['contact.created']);
    const rotated = await t.http
      .post(`/api/v1/webhook-subscriptions/${sub.id}/rotate-secret`)
      .set(a.auth)
      .set('If-Match', '"1"')
      .expect(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(sub.secret);
    expect(rotated.body.version).toBe(2);
    expect(new Date(rotated.body.previousSecretExpiresAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    await createContact(a, 'Rotated Rob');
    const [hit] = await eventually(async () => (receiver.on('/rotate').length > 0 ? receiver.on('/rotate') : undefined));
    expect(String(hit.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifiedBy([rotated.body.secret, sub.secret], hit.headers, hit.body)).toEqual([0, 1]);
    // A stale If-Match is refused.
    await t.http.post(`/api/v1/webhook-subscriptions/${sub.id}/rotate-secret`).set(a.auth).set('If-Match', '"1"').expect(412);
  });

  it('sends nothing while paused; after resume, the events that follow', async () => {
    const a = await registerTenant(t.http, 'wh-pause');
    const sub = await subscribe(a, '/pause', ['contact.created']);
    const paused = await t.http.post(`/api/v1/webhook-subscriptions/${sub.id}/pause`).set(a.auth).expect(200);
    expect(paused.body).toMatchObject({ status: 'paused', version: 2 });
    await t.http.post(`/api/v1/webhook-subscriptions/${sub.id}/pause`).set(a.auth).expect(409);
    await createContact(a, 'While paused');
    await sleep(1000);
    expect(receiver.on('/pause')).toHaveLength(0);
    expect(await deliveries(a, sub.id)).toEqual([]);
    await t.http.post(`/api/v1/webhook-subscriptions/${sub.id}/resume`).set(a.auth).expect(200);
    await createContact(a, 'After resume');
    const [hit] = await eventually(async () => (receiver.on('/pause').length > 0 ? receiver.on('/pause') : undefined));
    expect(JSON.parse(hit.body).data.name).toBe('After resume');
    await sleep(300);
    expect(receiver.on('/pause')).toHaveLength(1);
  });

  it('changes under If-Match, soft-deletes (then 404, nothing more delivered) and refuses bad input with 4xx', async () => {
    const a = await registerTenant(t.http, 'wh-crud');
    const sub = await subscribe(a, '/crud', ['contact.created']);
    await t.http.patch(`/api/v1/webhook-subscriptions/${sub.id}`).set(a.auth).set('If-Match', '"7"').send({ description: 'x' }).expect(412);
    const patched = await t.http
      .patch(`/api/v1/webhook-subscriptions/${sub.id}`)
      .set(a.auth)
      .set('If-Match', '"1"')
      .send({ description: 'Warehouse', events: ['contact.*', 'message.received'] })
      .expect(200);
    expect(patched.body).toMatchObject({ description: 'Warehouse', events: ['contact.*', 'message.received'], version: 2 });
    for (const body of [
      { url: 'ftp://example.com/x', events: ['*'] },
      { url: 'http://user:pw@example.com/x', events: ['*'] },
      { url: 'not a url', events: ['*'] },
      { url: `${base}/x`, events: [] },
      { url: `${base}/x`, events: ['Contact Created'] },
      { url: `${base}/x`, events: ['contact.'] },
      { url: `${base}/x` },
    ]) {
      const res = await t.http.post('/api/v1/webhook-subscriptions').set(a.auth).send(body);
      expect({ body, status: res.status, type: res.headers['content-type'] }).toEqual({
        body,
        status: 400,
        type: expect.stringContaining('application/problem+json'),
      });
    }
    // A delivery still pending (its receiver is down) is failed for good by the delete.
    receiver.answer = (r) => (r.path === '/crud' ? 500 : 200);
    await createContact(a, 'Before delete');
    await eventually(async () => (await deliveries(a, sub.id))[0]?.attempts >= 1);
    await t.http.delete(`/api/v1/webhook-subscriptions/${sub.id}`).set(a.auth).set('If-Match', '"2"').expect(204);
    const { rows } = await owner.query(`SELECT status, error FROM webhook_deliveries WHERE subscription_id = $1`, [sub.id]);
    expect(rows).toEqual([{ status: 'failed', error: 'The subscription was deleted' }]);
    const hitsBeforeDelete = receiver.on('/crud').length;
    await t.http.get(`/api/v1/webhook-subscriptions/${sub.id}`).set(a.auth).expect(404);
    expect((await t.http.get('/api/v1/webhook-subscriptions').set(a.auth).expect(200)).body.data).toEqual([]);
    await createContact(a, 'After delete');
    await sleep(600);
    expect(receiver.on('/crud')).toHaveLength(hitsBeforeDelete);
  });

  it('disables a subscription whose deliveries keep failing for days (reason visible), and at once on 410 Gone', async () => {
    const a = await registerTenant(t.http, 'wh-disable');
    receiver.answer = (r) => (r.path === '/down' ? 503 : r.path === '/gone' ? 410 : 200);
    const down = await subscribe(a, '/down', ['contact.created']);
    const gone = await subscribe(a, '/gone', ['contact.created']);
    await createContact(a, 'Nobody home');
    const failing = await eventually(async () => {
      const res = await t.http.get(`/api/v1/webhook-subscriptions/${down.id}`).set(a.auth);
      return res.body.failingSince ? res.body : undefined;
    });
    expect(failing.status).toBe('active');
    // Days pass (the streak started six days ago): the next failure disables it.
    await owner.query(`UPDATE webhook_subscriptions SET failing_since = now() - interval '6 days' WHERE id = $1`, [down.id]);
    const disabled = await eventually(async () => {
      const res = await t.http.get(`/api/v1/webhook-subscriptions/${down.id}`).set(a.auth);
      return res.body.status === 'disabled' ? res.body : undefined;
    });
    expect(disabled.disabledReason).toMatch(/failed since .*HTTP 503/);
    const goneNow = await eventually(async () => {
      const res = await t.http.get(`/api/v1/webhook-subscriptions/${gone.id}`).set(a.auth);
      return res.body.status === 'disabled' ? res.body : undefined;
    });
    expect(goneNow.disabledReason).toMatch(/410 Gone/);
    expect(receiver.on('/gone')).toHaveLength(1);
    expect((await deliveries(a, gone.id))[0]).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 410 });
    // Disabled: the pending retry is held; resume sends it.
    const held = receiver.on('/down').length;
    await sleep(800);
    expect(receiver.on('/down')).toHaveLength(held);
    receiver.answer = () => 200;
    const resumed = await t.http.post(`/api/v1/webhook-subscriptions/${down.id}/resume`).set(a.auth).expect(200);
    expect(resumed.body).toMatchObject({ status: 'active', disabledReason: null, failingSince: null });
    await eventually(async () => (await deliveries(a, down.id))[0].status === 'succeeded');
  });

  it('WEBHOOKS_API.deliverTo queues one signed delivery ignoring the event filter, idempotent on the event id', async () => {
    const a = await registerTenant(t.http, 'wh-port');
    const sub = await subscribe(a, '/port', ['message.received']);
    const port = t.app.get<WebhooksApi>(WEBHOOKS_API);
    // A caller acting on an event calls it in that event's tenant.
    const api = {
      deliverTo: (input: Parameters<WebhooksApi['deliverTo']>[0], tenant = a) =>
        t.app.get(TransactionRunner).runAsTenant(tenant.tenantId, () => port.deliverTo(input)),
    };
    const event = { id: 'automation_run_42', type: 'automation.webhook', occurredAt: new Date().toISOString(), data: { hello: 'world' } };
    const first = await api.deliverTo({ projectId: a.projectId, subscriptionId: sub.id, event });
    const again = await api.deliverTo({ projectId: a.projectId, subscriptionId: sub.id, event });
    expect(again.deliveryId).toBe(first.deliveryId);
    const [hit] = await eventually(async () => (receiver.on('/port').length > 0 ? receiver.on('/port') : undefined));
    expect(hit.headers['webhook-id']).toBe('automation_run_42');
    expect(verifiedBy([sub.secret], hit.headers, hit.body)).toEqual([0]);
    expect(JSON.parse(hit.body)).toEqual({ type: 'automation.webhook', timestamp: event.occurredAt, data: { hello: 'world' } });
    await sleep(300);
    expect(receiver.on('/port')).toHaveLength(1);
    // Another project's subscription is a 4xx problem, never a delivery.
    const b = await registerTenant(t.http, 'wh-port-b');
    await expect(api.deliverTo({ projectId: b.projectId, subscriptionId: sub.id, event }, b)).rejects.toMatchObject({
      code: 'webhook_subscription.not_found',
    });
    await expect(
      api.deliverTo({ projectId: a.projectId, subscriptionId: sub.id, event: { ...event, id: 'has.dots' } }),
    ).rejects.toMatchObject({
      code: 'webhook_delivery.invalid_event_id',
    });
  });

  it('sends a delivery whose relay died once its lease runs out, and each event once with several relays running', async () => {
    const a = await registerTenant(t.http, 'wh-relays');
    const sub = await subscribe(a, '/lease', ['message.received']);
    await t.http.post(`/api/v1/webhook-subscriptions/${sub.id}/pause`).set(a.auth).expect(200);
    const port = t.app.get<WebhooksApi>(WEBHOOKS_API);
    const event = { id: 'lease_1', type: 'test.lease', occurredAt: new Date().toISOString(), data: {} };
    await t.app
      .get(TransactionRunner)
      .runAsTenant(a.tenantId, () => port.deliverTo({ projectId: a.projectId, subscriptionId: sub.id, event }));
    // A relay claims it (2 s lease) the moment the subscription is active again, and dies: nobody records an outcome.
    await owner.query('BEGIN');
    await owner.query(`UPDATE webhook_subscriptions SET status = 'active' WHERE id = $1`, [sub.id]);
    const claimed = await owner.query(`SELECT * FROM webhook_deliveries_claim(1000, 2)`);
    await owner.query('COMMIT');
    expect(claimed.rows.filter((r) => r.tenant_id === a.tenantId)).toHaveLength(1);
    const claimedAt = Date.now();
    await sleep(1200);
    expect(receiver.on('/lease')).toHaveLength(0);
    const [hit] = await eventually(async () => (receiver.on('/lease').length > 0 ? receiver.on('/lease') : undefined));
    expect(hit.at - claimedAt).toBeGreaterThanOrEqual(1900);
    expect(verifiedBy([sub.secret], hit.headers, hit.body)).toEqual([0]);
    await eventually(async () => (await deliveries(a, sub.id))[0].status === 'succeeded');

    // A second instance with its own relay and dispatcher: every event still reaches the receiver exactly once.
    const second = await startTestApp();
    try {
      const many = await subscribe(a, '/relays', ['contact.created']);
      for (let i = 0; i < 20; i++) await createContact(a, `Relayed ${i}`);
      await eventually(async () => receiver.on('/relays').length >= 20);
      await sleep(800);
      const ids = receiver.on('/relays').map((h) => h.headers['webhook-id']);
      expect(ids).toHaveLength(20);
      expect(new Set(ids).size).toBe(20);
      expect((await deliveries(a, many.id)).every((d) => d.status === 'succeeded' && d.attempts === 1)).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('prunes finished deliveries after the retention, never pending ones', async () => {
    const a = await registerTenant(t.http, 'wh-prune');
    receiver.answer = (r) => (r.path === '/prune-down' ? 500 : 200);
    const up = await subscribe(a, '/prune-up', ['contact.created']);
    const down = await subscribe(a, '/prune-down', ['contact.created']);
    await createContact(a, 'Pruned Pat');
    await eventually(
      async () => (await deliveries(a, up.id))[0]?.status === 'succeeded' && (await deliveries(a, down.id))[0]?.attempts >= 1,
    );
    await owner.query(`UPDATE webhook_deliveries SET updated_at = now() - interval '31 days' WHERE subscription_id = ANY($1)`, [
      [up.id, down.id],
    ]);
    expect(await t.app.get(WebhookDispatcher).prune()).toBeGreaterThanOrEqual(1);
    expect(await deliveries(a, up.id)).toEqual([]);
    expect((await deliveries(a, down.id))[0].status).toBe('pending');
    await t.http.delete(`/api/v1/webhook-subscriptions/${down.id}`).set(a.auth).expect(204);
  });

  describe('with WEBHOOK_ALLOW_PRIVATE_URLS off', () => {
    let strict: TestApp;
    let s: Tenant;

    // No relay: this app's delivery workers must not claim the other suites' deliveries to local receivers.
    beforeAll(async () => {
      strict = await startTestApp({ relay: false, env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'false' } });
      s = await registerTenant(strict.http, 'wh-strict');
    });
    afterAll(() => strict.close());

    it('refuses loopback, private, link-local and metadata URLs at creation with 422', async () => {
      for (const url of [
        `${base}/private`,
        'http://localhost:8080/hook',
        'http://10.1.2.3/hook',
        'http://192.168.0.10/hook',
        'http://169.254.169.254/latest/meta-data',
        'http://[::1]:8080/hook',
        'http://[fd00:ec2::254]/hook',
        'http://[::ffff:127.0.0.1]/hook',
        'http://0.0.0.0/hook',
      ]) {
        const res = await strict.http
          .post('/api/v1/webhook-subscriptions')
          .set(s.auth)
          .send({ url, events: ['*'] });
        expect({ url, status: res.status, code: res.body.code }).toEqual({ url, status: 422, code: 'webhook_subscription.private_url' });
      }
    });

    it('refuses to connect to a host that resolves to a private address at delivery time (DNS rebinding)', async () => {
      const client = strict.app.get(WebhookHttpClient);
      const port = new URL(base).port;
      const byName = await client.post({ url: `http://localhost:${port}/rebound`, headers: {}, body: '{}' });
      expect(byName).toMatchObject({
        ok: false,
        status: null,
        error: expect.stringMatching(/refused: localhost resolves to private address/),
      });
      const literal = await client.post({ url: `http://127.0.0.1:${port}/rebound`, headers: {}, body: '{}' });
      expect(literal).toMatchObject({ ok: false, error: expect.stringMatching(/refused/) });
      expect(receiver.on('/rebound')).toHaveLength(0);
      // The same client with private URLs allowed does reach it: the refusal above is the guard, not the network.
      const open = await t.app.get(WebhookHttpClient).post({ url: `http://localhost:${port}/rebound`, headers: {}, body: '{}' });
      expect(open).toMatchObject({ ok: true, status: 200 });
    });

    it('gives up on a receiver that does not answer in time', async () => {
      receiver.silentPaths.add('/hang');
      const client = new WebhookHttpClient({ ...t.config, webhooks: { ...t.config.webhooks, timeoutMs: 300 } });
      const res = await client.post({ url: `${base}/hang`, headers: {}, body: '{}' });
      client.onModuleDestroy();
      expect(res).toMatchObject({ ok: false, status: null, error: 'timed out after 300 ms' });
      expect(res.durationMs).toBeGreaterThanOrEqual(290);
      expect(res.durationMs).toBeLessThan(2000);
      expect(receiver.on('/hang')).toHaveLength(1);
    });

    it('does not follow redirects', async () => {
      receiver.answer = (r) => (r.path === '/redirect' ? 302 : 200);
      const client = t.app.get(WebhookHttpClient);
      const res = await client.post({ url: `${base}/redirect`, headers: {}, body: '{}' });
      expect(res).toMatchObject({ ok: false, status: 302, error: expect.stringMatching(/not followed/) });
      expect(receiver.on('/redirect')).toHaveLength(1);
    });
  });
});
