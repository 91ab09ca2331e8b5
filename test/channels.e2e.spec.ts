import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

/** A fake WAHA on 127.0.0.1: one session's config, the requests it got, and a switch to make it fail. */
interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

const FIXTURES = resolve(__dirname, '../../shared/fixtures/waha');
const fixture = (name: string) => readFileSync(`${FIXTURES}/${name}`, 'utf8');
/** A WhatsApp text message of the `default` session, spelled with the whitespace a raw body may have. */
const textMessage = () => JSON.stringify({ ...JSON.parse(fixture('message-text.json')), session: 'default' }, null, 2);

describe('channels', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let owner: Client;
  let waha: Server;
  let wahaUrl: string;
  let requests: Recorded[] = [];
  let wahaDown = false;

  beforeAll(async () => {
    waha = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => {
        requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: data ? JSON.parse(data) : undefined });
        res.setHeader('Content-Type', 'application/json');
        if (wahaDown) {
          res.writeHead(500).end(JSON.stringify({ message: 'engine crashed' }));
          return;
        }
        const session = decodeURIComponent(req.url!.split('/').pop()!);
        if (req.method === 'GET') res.writeHead(200).end(JSON.stringify({ name: session, status: 'WORKING', config: { webhooks: [] } }));
        else res.writeHead(200).end(JSON.stringify({ name: session }));
      });
    });
    await new Promise<void>((resolve) => waha.listen(0, '127.0.0.1', resolve));
    wahaUrl = `http://127.0.0.1:${(waha.address() as AddressInfo).port}`;
    t = await startTestApp({ env: { PUBLIC_URL: 'https://crm.example.test/' } });
    a = await registerTenant(t.http, 'chan-a');
    b = await registerTenant(t.http, 'chan-b');
    owner = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await t?.close();
    await new Promise((resolve) => waha?.close(resolve));
  });
  beforeEach(() => {
    requests = [];
    wahaDown = false;
  });

  const create = (tenant: Tenant, config: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
    t.http
      .post('/api/v1/channels')
      .set(tenant.auth)
      .send({ name: 'Sales WhatsApp', type: 'waha', config: { baseUrl: wahaUrl, session: 'default', ...config }, ...extra });
  const tokenOf = (webhookUrl: string) => webhookUrl.split('/').pop()!;
  const deliver = (token: string, body: string, headers: Record<string, string> = {}) =>
    t.http
      .post(`/api/v1/webhooks/waha/${token}`)
      .set({ 'Content-Type': 'application/json', ...headers })
      .send(body);
  const sign = (secret: string, body: string) => createHmac('sha512', secret).update(body).digest('hex');

  describe('CRUD', () => {
    it('creates a channel with secrets encrypted at rest and never returned', async () => {
      const res = await create(a, { apiKey: 'waha-api-key-plain', webhookSecret: 'a-webhook-secret-plain' }, { debounceMs: 5000 }).expect(
        201,
      );
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        name: 'Sales WhatsApp',
        type: 'waha',
        status: 'inactive',
        enabled: false,
        config: { baseUrl: wahaUrl, session: 'default' },
        hasApiKey: true,
        hasWebhookSecret: true,
        sessionTimeoutMinutes: null,
        debounceMs: 5000,
        pipelineId: null,
        version: 1,
      });
      expect(res.body.webhookUrl).toMatch(/^https:\/\/crm\.example\.test\/api\/v1\/webhooks\/waha\/[A-Za-z0-9_-]{43}$/);
      expect(tokenOf(res.body.webhookUrl)).not.toContain(res.body.id);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain('waha-api-key-plain');
      expect(text).not.toContain('a-webhook-secret-plain');

      // The same URL later, in a read and a list; still no secret anywhere.
      const got = await t.http.get(`/api/v1/channels/${res.body.id}`).set(a.auth).expect(200);
      expect(got.body.webhookUrl).toBe(res.body.webhookUrl);
      const list = await t.http.get('/api/v1/channels').set(a.auth).expect(200);
      expect(list.body.data.map((c: { id: string }) => c.id)).toContain(res.body.id);
      expect(JSON.stringify(list.body)).not.toMatch(/plain/);

      const { rows } = await owner.query(
        'SELECT api_key_encrypted, webhook_secret_encrypted, webhook_token_hash, config FROM channels WHERE id = $1',
        [res.body.id],
      );
      expect(rows[0].api_key_encrypted).toMatch(/^v1:/);
      expect(rows[0].webhook_secret_encrypted).toMatch(/^v1:/);
      expect(JSON.stringify(rows[0])).not.toMatch(/plain/);
      expect(rows[0].webhook_token_hash).toBe(createHash('sha256').update(tokenOf(res.body.webhookUrl)).digest('hex'));
      expect(rows[0].config).toEqual({ baseUrl: wahaUrl, session: 'default' });
    });

    it('refuses invalid input with 400 problems', async () => {
      const bad: Record<string, unknown>[] = [
        {},
        { name: 'x', type: 'telegram', config: { baseUrl: wahaUrl, session: 'default' } },
        { name: 'x', type: 'waha' },
        { name: 'x', type: 'waha', config: { baseUrl: 'ftp://waha', session: 'default' } },
        { name: 'x', type: 'waha', config: { baseUrl: 'not a url', session: 'default' } },
        { name: 'x', type: 'waha', config: { baseUrl: wahaUrl } },
        { name: '   ', type: 'waha', config: { baseUrl: wahaUrl, session: 'default' } },
        { name: 'x', type: 'waha', config: { baseUrl: wahaUrl, session: 'default', webhookSecret: 'short' } },
        { name: 'x', type: 'waha', config: { baseUrl: wahaUrl, session: 'default' }, debounceMs: -1 },
        { name: 'x', type: 'waha', config: { baseUrl: wahaUrl, session: 'default' }, pipelineId: 'nope' },
        { name: 'x', type: 'waha', config: { baseUrl: wahaUrl, session: 'default' }, surprise: true },
      ];
      for (const body of bad) {
        const res = await t.http.post('/api/v1/channels').set(a.auth).send(body);
        expect({ body, status: res.status, type: res.headers['content-type'] }).toMatchObject({
          body,
          status: 400,
          type: expect.stringContaining('application/problem+json'),
        });
      }
    });

    it('updates with If-Match, removes a secret, soft-deletes and restores', async () => {
      const created = (await create(a, { apiKey: 'k1' }).expect(201)).body;
      await t.http.patch(`/api/v1/channels/${created.id}`).set(a.auth).set('If-Match', '"7"').send({ name: 'Stale' }).expect(412);
      const patched = await t.http
        .patch(`/api/v1/channels/${created.id}`)
        .set(a.auth)
        .set('If-Match', '"1"')
        .send({ name: 'Support', config: { apiKey: null, session: 'support' }, sessionTimeoutMinutes: 45 })
        .expect(200);
      expect(patched.body).toMatchObject({
        name: 'Support',
        hasApiKey: false,
        config: { session: 'support' },
        sessionTimeoutMinutes: 45,
        version: 2,
      });
      expect(patched.body.webhookUrl).toBe(created.webhookUrl);
      await t.http.delete(`/api/v1/channels/${created.id}`).set(a.auth).set('If-Match', '"2"').expect(204);
      await t.http.get(`/api/v1/channels/${created.id}`).set(a.auth).expect(404);
      await deliver(tokenOf(created.webhookUrl), JSON.stringify({ event: 'message', session: 'support', payload: {} })).expect(404);
      const restored = await t.http.post(`/api/v1/channels/${created.id}/restore`).set(a.auth).expect(200);
      expect(restored.body).toMatchObject({ name: 'Support', version: 4 });
    });
  });

  it('lets readonly members read channels, and only managers and admins change them', async () => {
    const reader = await registerTenant(t.http, 'chan-reader');
    await t.http.post('/api/v1/members').set(a.auth).send({ email: reader.email, role: 'readonly' }).expect(201);
    const login = await t.http.post('/api/v1/auth/login').send({ email: reader.email, password: reader.password }).expect(200);
    const jwt = { Authorization: `Bearer ${login.body.accessToken}` };
    const invitation = (await t.http.get('/api/v1/invitations').set(jwt).expect(200)).body.data[0];
    await t.http.post(`/api/v1/invitations/${invitation.id}/accept`).set(jwt).expect(200);
    const asReader = { ...jwt, 'X-Project-Id': a.projectId };
    const channel = (await create(a).expect(201)).body;
    await t.http.get(`/api/v1/channels/${channel.id}`).set(asReader).expect(200);
    await t.http.get('/api/v1/channels').set(asReader).expect(200);
    const denied = await t.http
      .post('/api/v1/channels')
      .set(asReader)
      .send({ name: 'x', type: 'waha', config: { baseUrl: wahaUrl, session: 'default' } });
    expect(denied.status).toBe(403);
    await t.http.post(`/api/v1/channels/${channel.id}/activate`).set(asReader).expect(403);
    await t.http.delete(`/api/v1/channels/${channel.id}`).set(asReader).expect(403);
  });

  describe('activation', () => {
    it("registers the webhook URL, the HMAC key and the events with the WAHA session, with WAHA's API key", async () => {
      const created = (await create(a, { apiKey: 'waha-key', webhookSecret: 'the-hmac-key-0123456789', session: 'sales' }).expect(201))
        .body;
      const res = await t.http.post(`/api/v1/channels/${created.id}/activate`).set(a.auth).expect(200);
      expect(res.body).toMatchObject({ status: 'connecting', enabled: true, version: 2 });
      const put = requests.find((r) => r.method === 'PUT');
      expect(put).toBeDefined();
      expect(put!.url).toBe('/api/sessions/sales');
      expect(put!.headers['x-api-key']).toBe('waha-key');
      const webhooks = (put!.body as { config: { webhooks: { url: string; hmac: { key: string }; events: string[] }[] } }).config.webhooks;
      expect(webhooks).toHaveLength(1);
      expect(webhooks[0].url).toBe(created.webhookUrl);
      expect(webhooks[0].hmac.key).toBe('the-hmac-key-0123456789');
      expect(webhooks[0].events).toEqual(expect.arrayContaining(['message', 'message.any', 'message.ack', 'session.status']));

      const off = await t.http.post(`/api/v1/channels/${created.id}/deactivate`).set(a.auth).expect(200);
      expect(off.body).toMatchObject({ status: 'inactive', enabled: false, version: 3 });
    });

    it('makes a webhook secret when the channel has none, so every registered webhook is signed', async () => {
      const created = (await create(a).expect(201)).body;
      expect(created.hasWebhookSecret).toBe(false);
      const res = await t.http.post(`/api/v1/channels/${created.id}/activate`).set(a.auth).expect(200);
      expect(res.body).toMatchObject({ hasWebhookSecret: true, status: 'connecting' });
      const put = requests.find((r) => r.method === 'PUT')!;
      const key = (put.body as { config: { webhooks: { hmac: { key: string } }[] } }).config.webhooks[0].hmac.key;
      expect(key.length).toBeGreaterThanOrEqual(32);
      // Deliveries now need that key.
      const body = JSON.stringify({ event: 'message', session: 'default', payload: {} });
      await deliver(tokenOf(created.webhookUrl), body).expect(401);
      await deliver(tokenOf(created.webhookUrl), body, { 'X-Webhook-Hmac': sign(key, body) }).expect(202);
    });

    it('answers 502 when WAHA fails, and leaves the channel as it was', async () => {
      const created = (await create(a).expect(201)).body;
      wahaDown = true;
      const res = await t.http.post(`/api/v1/channels/${created.id}/activate`).set(a.auth).expect(502);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('channel.provider_error');
      const after = await t.http.get(`/api/v1/channels/${created.id}`).set(a.auth).expect(200);
      expect(after.body).toMatchObject({ status: 'inactive', version: 1, hasWebhookSecret: false });
      const { rows } = await owner.query(`SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = $1`, [created.id]);
      expect(rows[0].n).toBe(1); // channel.created only
    });

    it('answers 502 when WAHA is unreachable', async () => {
      const created = (await create(a, { baseUrl: 'http://127.0.0.1:9' }).expect(201)).body;
      const res = await t.http.post(`/api/v1/channels/${created.id}/activate`).set(a.auth).expect(502);
      expect(res.body.code).toBe('channel.provider_error');
    });
  });

  describe('webhook', () => {
    const SECRET = 'webhook-secret-0123456789';
    let channel: { id: string; webhookUrl: string };
    let token: string;

    beforeAll(async () => {
      channel = (await create(a, { webhookSecret: SECRET }).expect(201)).body;
      token = tokenOf(channel.webhookUrl);
    });

    it('answers 404 for an unknown token', async () => {
      const res = await deliver('x'.repeat(43), textMessage()).expect(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('answers 401 without the HMAC, with a wrong one, or with another algorithm', async () => {
      const body = textMessage();
      await deliver(token, body).expect(401);
      await deliver(token, body, { 'X-Webhook-Hmac': sign('another key', body) }).expect(401);
      await deliver(token, body, { 'X-Webhook-Hmac': 'zz' }).expect(401);
      await deliver(token, body, { 'X-Webhook-Hmac': sign(SECRET, body), 'X-Webhook-Hmac-Algorithm': 'sha256' }).expect(401);
      // The signature covers the raw bytes: the same JSON spelled differently does not pass.
      const respelled = JSON.stringify(JSON.parse(body));
      await deliver(token, respelled, { 'X-Webhook-Hmac': sign(SECRET, body) }).expect(401);
    });

    it('stores a signed delivery as received with its outbox event, and answers 202', async () => {
      const body = textMessage();
      const res = await deliver(token, body, { 'X-Webhook-Hmac': sign(SECRET, body), 'X-Webhook-Hmac-Algorithm': 'sha512' }).expect(202);
      expect(res.body).toEqual({ id: expect.any(String), status: 'accepted' });
      const { rows } = await owner.query('SELECT * FROM channel_inbound_events WHERE id = $1', [res.body.id]);
      expect(rows[0]).toMatchObject({ tenant_id: a.tenantId, project_id: a.projectId, channel_id: channel.id, provider: 'waha', body });
      expect(rows[0].event).toBe(JSON.parse(body).event);
      const events = await owner.query(
        'SELECT event_type, tenant_id, event_data FROM outbox_events WHERE aggregate_id = $1 ORDER BY sequence',
        [res.body.id],
      );
      expect(events.rows).toEqual([
        {
          event_type: 'channel.inbound_received',
          tenant_id: a.tenantId,
          event_data: { channelId: channel.id, provider: 'waha', event: JSON.parse(body).event, body },
        },
        // parsed in the same transaction: consumers get the normalised message, never the provider's body
        {
          event_type: 'channel.message_received',
          tenant_id: a.tenantId,
          event_data: expect.objectContaining({
            kind: 'message',
            channelId: channel.id,
            inboundEventId: res.body.id,
            externalId: expect.any(String),
            fromMe: false,
            direction: 'inbound',
            sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          }),
        },
      ]);
    });

    it('refuses an event of another WAHA session (400) and a body that is no WAHA event', async () => {
      const other = JSON.stringify({ ...JSON.parse(textMessage()), session: 'someone-else' });
      const res = await deliver(token, other, { 'X-Webhook-Hmac': sign(SECRET, other) }).expect(400);
      expect(res.body.code).toBe('webhook.wrong_session');
      const noEvent = JSON.stringify({ session: 'default' });
      expect((await deliver(token, noEvent, { 'X-Webhook-Hmac': sign(SECRET, noEvent) }).expect(400)).body.code).toBe(
        'webhook.invalid_payload',
      );
    });

    it("never lets another tenant's token reach this tenant's rows", async () => {
      const bChannel = (await create(b, { webhookSecret: SECRET }).expect(201)).body;
      const before = await owner.query('SELECT count(*)::int AS n FROM channel_inbound_events WHERE tenant_id = $1', [a.tenantId]);
      const body = textMessage();
      const res = await deliver(tokenOf(bChannel.webhookUrl), body, { 'X-Webhook-Hmac': sign(SECRET, body) }).expect(202);
      const { rows } = await owner.query('SELECT tenant_id, channel_id FROM channel_inbound_events WHERE id = $1', [res.body.id]);
      expect(rows[0]).toEqual({ tenant_id: b.tenantId, channel_id: bChannel.id });
      const after = await owner.query('SELECT count(*)::int AS n FROM channel_inbound_events WHERE tenant_id = $1', [a.tenantId]);
      expect(after.rows[0].n).toBe(before.rows[0].n);
      // Each tenant sees only its own channels.
      const list = await t.http.get('/api/v1/channels').set(b.auth).expect(200);
      expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([bChannel.id]);
      await t.http.get(`/api/v1/channels/${channel.id}`).set(b.auth).expect(404);
    });

    it('moves the status of an activated channel with session.status events, and of no other', async () => {
      const send = async (status: string) => {
        const body = JSON.stringify({ ...JSON.parse(fixture('session-status.json')), payload: { status } });
        const res = await deliver(token, body, { 'X-Webhook-Hmac': sign(SECRET, body) }).expect(202);
        return res.body.id as string;
      };
      const processed = (inboxId: string) =>
        eventually(async () => {
          const { rows } = await owner.query(`SELECT status FROM outbox_events WHERE aggregate_id = $1`, [inboxId]);
          return rows[0]?.status === 'processed';
        });
      const current = async () => (await t.http.get(`/api/v1/channels/${channel.id}`).set(a.auth)).body;
      const statusIs = (status: string) => eventually(async () => (await current()).status === status);

      // Not activated yet: the report is stored and processed, and changes nothing.
      await processed(await send('WORKING'));
      expect(await current()).toMatchObject({ status: 'inactive', enabled: false });

      await t.http.post(`/api/v1/channels/${channel.id}/activate`).set(a.auth).expect(200);
      await send('SCAN_QR_CODE');
      await statusIs('qr_required');
      await send('WORKING');
      await statusIs('active');
      await send('FAILED');
      await statusIs('error');
      await send('STOPPED');
      await statusIs('inactive');
      await send('STARTING');
      await statusIs('connecting');

      // Deactivated: WAHA's reports no longer switch it back on.
      await t.http.post(`/api/v1/channels/${channel.id}/deactivate`).set(a.auth).expect(200);
      await processed(await send('WORKING'));
      expect(await current()).toMatchObject({ status: 'inactive', enabled: false });

      const { rows } = await owner.query(
        `SELECT event_data FROM outbox_events WHERE aggregate_id = $1 AND event_type = 'channel.status_changed' ORDER BY sequence`,
        [channel.id],
      );
      expect(rows.map((r) => r.event_data)).toEqual([
        { from: 'inactive', to: 'connecting', cause: 'activation' },
        { from: 'connecting', to: 'qr_required', cause: 'provider', providerStatus: 'SCAN_QR_CODE' },
        { from: 'qr_required', to: 'active', cause: 'provider', providerStatus: 'WORKING' },
        { from: 'active', to: 'error', cause: 'provider', providerStatus: 'FAILED' },
        { from: 'error', to: 'inactive', cause: 'provider', providerStatus: 'STOPPED' },
        { from: 'inactive', to: 'connecting', cause: 'provider', providerStatus: 'STARTING' },
        { from: 'connecting', to: 'inactive', cause: 'deactivation' },
      ]);
    });

    it('accepts deliveries of a channel without a webhook secret unsigned', async () => {
      const open = (await create(a).expect(201)).body;
      await deliver(tokenOf(open.webhookUrl), fixture('message-ack.json')).expect(202);
    });
  });
});
