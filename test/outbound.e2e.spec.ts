import { once } from 'node:events';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

interface SentRequest {
  path: string;
  apiKey: string | undefined;
  body: Record<string, unknown>;
  /** The id the answer carries. */
  id: string;
}

/** A fake WAHA on 127.0.0.1: records the sends and answers with a fresh message id, optionally held back. */
class FakeWaha {
  readonly requests: SentRequest[] = [];
  private server!: Server;
  private counter = 0;
  /** While set, answers wait for it (to let an echo overtake the answer). */
  hold: Promise<void> | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The id the next send is answered with. */
  nextId(chatId: string): string {
    return `true_${chatId}_3EB0${String(this.counter + 1).padStart(16, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    const id = this.nextId(String(body.chatId));
    this.counter += 1;
    this.requests.push({ path: req.url ?? '', apiKey: req.headers['x-api-key'] as string | undefined, body, id });
    if (this.hold) await this.hold;
    res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id }));
  }
}

const PHONE_CHAT = '5511987654321@c.us';

describe('outbound messages: POST /messages, conversations.outbound, echoes and acks', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let owner: Client;
  const waha = new FakeWaha();
  let wahaUrl: string;

  beforeAll(async () => {
    wahaUrl = await waha.start();
    t = await startTestApp({ env: { RELAY_MAX_ATTEMPTS: '3', RELAY_BASE_BACKOFF_MS: '20' } });
    a = await registerTenant(t.http, 'out-a');
    b = await registerTenant(t.http, 'out-b');
    owner = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await t?.close();
    await waha.close();
  });

  let sessionCounter = 0;
  const channelFor = async (tenant: Tenant, baseUrl = wahaUrl) => {
    sessionCounter += 1;
    const session = `out-${sessionCounter}`;
    const res = await t.http
      .post('/api/v1/channels')
      .set(tenant.auth)
      .send({ name: 'WhatsApp', type: 'waha', config: { baseUrl, session, apiKey: 'waha-secret' } })
      .expect(201);
    return { id: res.body.id as string, session, token: (res.body.webhookUrl as string).split('/').pop()! };
  };
  /** The tenant's contact with the test phone (phones are unique per project: made once), or a new one without a phone. */
  const phoneContacts = new Map<string, string>();
  const contactFor = async (tenant: Tenant, phone: string | null = '+5511987654321') => {
    const known = phone ? phoneContacts.get(tenant.tenantId) : undefined;
    if (known) return known;
    const res = await t.http
      .post('/api/v1/contacts')
      .set(tenant.auth)
      .send(phone ? { name: 'Maria', phone } : { name: 'No phone', email: `np-${Date.now()}@example.com` })
      .expect(201);
    if (phone) phoneContacts.set(tenant.tenantId, res.body.id as string);
    return res.body.id as string;
  };

  const messageRow = async (id: string) => (await owner.query(`SELECT * FROM messages WHERE id = $1`, [id])).rows[0];
  const messagesOf = async (channelId: string) =>
    (await owner.query(`SELECT * FROM messages WHERE channel_id = $1 ORDER BY created_at, id`, [channelId])).rows;
  const eventsOf = async (id: string) =>
    (await owner.query(`SELECT event_type FROM outbox_events WHERE aggregate_id = $1 ORDER BY sequence`, [id])).rows.map(
      (r: { event_type: string }) => r.event_type,
    );

  /** Posts WAHA webhook bodies and waits until their events were processed. */
  const deliver = async (token: string, ...bodies: Record<string, unknown>[]) => {
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
      const { rows } = await owner.query(`SELECT status FROM outbox_events WHERE aggregate_id = ANY($1::uuid[])`, [ids]);
      return rows.length > 0 && rows.every((r) => r.status === 'processed');
    });
  };
  const echo = (session: string, id: string, text: string) => ({
    event: 'message.any',
    session,
    engine: 'WEBJS',
    payload: {
      id,
      timestamp: Math.floor(Date.now() / 1000),
      from: '5511000000000@c.us',
      fromMe: true,
      to: PHONE_CHAT,
      body: text,
      hasMedia: false,
      ack: 1,
    },
  });
  const ack = (session: string, id: string, ackNumber: number, ackName: string) => ({
    event: 'message.ack',
    session,
    engine: 'WEBJS',
    payload: { id, from: PHONE_CHAT, participant: null, fromMe: true, ack: ackNumber, ackName },
  });

  it('answers 202 pending, sends through WAHA with the channel key, stores the ids, matches the echo and applies acks', async () => {
    const channel = await channelFor(a);
    const contactId = await contactFor(a);
    const res = await t.http.post('/api/v1/messages').set(a.auth).send({ contactId, channelId: channel.id, text: 'Olá!' }).expect(202);
    expect(res.body).toMatchObject({
      status: 'pending',
      direction: 'outbound',
      type: 'text',
      text: 'Olá!',
      contactId,
      sentByUserId: a.userId,
    });
    const id = res.body.id as string;

    const sent = await eventually(async () => {
      const row = await messageRow(id);
      return row.status === 'sent' && row;
    });
    const request = waha.requests.find((r) => r.body.session === channel.session)!;
    expect(request).toMatchObject({ path: '/api/sendText', apiKey: 'waha-secret', body: { chatId: PHONE_CHAT, text: 'Olá!' } });
    expect(sent.external_id).toMatch(/^true_5511987654321@c\.us_3EB0/);
    expect(sent.wa_message_id).toBe(sent.external_id.split('_').pop());
    expect(await eventsOf(id)).toEqual(['message.send_requested', 'message.sent']);

    // the echo of the send (message and message.any) is the same message
    await deliver(channel.token, echo(channel.session, sent.external_id, 'Olá!'), {
      ...echo(channel.session, sent.external_id, 'Olá!'),
      event: 'message',
    });
    expect(await messagesOf(channel.id)).toHaveLength(1);

    await deliver(channel.token, ack(channel.session, sent.external_id, 2, 'DEVICE'));
    expect((await messageRow(id)).status).toBe('delivered');
    await deliver(channel.token, ack(channel.session, sent.external_id, 3, 'READ'));
    expect((await messageRow(id)).status).toBe('read');
    const read = await t.http.get(`/api/v1/messages/${id}`).set(a.auth).expect(200);
    expect(read.body).toMatchObject({ status: 'read', externalId: sent.external_id, error: null });
  });

  it("records the sending agent: the user's own agent for a user token, the project's API agent for an API key", async () => {
    const channel = await channelFor(a);
    const contactId = await contactFor(a);
    const agents = await eventually(async () => {
      const res = await t.http.get('/api/v1/agents').set(a.auth).expect(200);
      const data = res.body.data as { id: string; type: string; name: string; userId: string | null }[];
      return data.length >= 3 ? data : undefined;
    });
    const mine = agents.find((x) => x.userId === a.userId)!;
    const api = agents.find((x) => x.type === 'system' && x.name === 'API')!;
    const login = await t.http.post('/api/v1/auth/login').send({ email: a.email, password: a.password }).expect(200);
    const asUser = { Authorization: `Bearer ${login.body.accessToken}`, 'X-Project-Id': a.projectId };

    const byUser = await t.http.post('/api/v1/messages').set(asUser).send({ contactId, channelId: channel.id, text: 'as me' }).expect(202);
    const byKey = await t.http
      .post('/api/v1/messages')
      .set(a.auth)
      .send({ contactId, channelId: channel.id, text: 'as the API' })
      .expect(202);
    expect(byUser.body).toMatchObject({ sentByUserId: a.userId, sentByAgentId: mine.id });
    expect(byKey.body).toMatchObject({ sentByUserId: a.userId, sentByAgentId: api.id });
    for (const [res, agentId] of [
      [byUser, mine.id],
      [byKey, api.id],
    ] as const) {
      expect((await messageRow(res.body.id)).sent_by_agent_id).toBe(agentId);
      const requested = await owner.query(
        `SELECT event_data FROM outbox_events WHERE aggregate_id = $1 AND event_type = 'message.send_requested'`,
        [res.body.id],
      );
      expect(requested.rows[0].event_data).toMatchObject({ sentByAgentId: agentId, sentByUserId: a.userId });
      expect((await t.http.get(`/api/v1/messages/${res.body.id}`).set(a.auth).expect(200)).body.sentByAgentId).toBe(agentId);
    }
  });

  it('replays an Idempotency-Key: one message, one send', async () => {
    const channel = await channelFor(a);
    const contactId = await contactFor(a);
    const send = () =>
      t.http
        .post('/api/v1/messages')
        .set(a.auth)
        .set('Idempotency-Key', `k-${channel.id}`)
        .send({ contactId, channelId: channel.id, text: 'once' });
    const first = await send().expect(202);
    const again = await send().expect(202);
    expect(again.body.id).toBe(first.body.id);
    await eventually(async () => (await messageRow(first.body.id)).status === 'sent');
    expect(await messagesOf(channel.id)).toHaveLength(1);
    expect(waha.requests.filter((r) => r.body.session === channel.session)).toHaveLength(1);
  });

  it('sends to an existing chat by chatId, media by mimetype', async () => {
    const channel = await channelFor(a);
    const contactId = await contactFor(a);
    const first = await t.http.post('/api/v1/messages').set(a.auth).send({ contactId, channelId: channel.id, text: 'hi' }).expect(202);
    const res = await t.http
      .post('/api/v1/messages')
      .set(a.auth)
      .send({
        chatId: first.body.chatId,
        media: { url: 'https://example.com/a.pdf', mimetype: 'application/pdf', filename: 'a.pdf' },
        caption: 'the file',
      })
      .expect(202);
    expect(res.body).toMatchObject({ chatId: first.body.chatId, type: 'document', text: 'the file', status: 'pending' });
    await eventually(async () => (await messageRow(res.body.id)).status === 'sent');
    const request = waha.requests.find((r) => r.body.session === channel.session && r.path === '/api/sendFile');
    expect(request?.body).toMatchObject({
      chatId: PHONE_CHAT,
      caption: 'the file',
      file: { url: 'https://example.com/a.pdf', mimetype: 'application/pdf' },
    });
  });

  it('matches an echo that overtakes the send answer to the pending message: never a second message', async () => {
    // A second instance: while one relay waits for WAHA's answer, the other one processes the echo (one relay
    // handles one batch at a time, so only another worker or instance can see the echo first).
    const second = await startTestApp({ env: { RELAY_MAX_ATTEMPTS: '3', RELAY_BASE_BACKOFF_MS: '20' } });
    const channel = await channelFor(a);
    const contactId = await contactFor(a);
    let release: () => void = () => undefined;
    waha.hold = new Promise((resolve) => (release = resolve));
    try {
      const res = await t.http.post('/api/v1/messages').set(a.auth).send({ contactId, channelId: channel.id, text: 'race' }).expect(202);
      const request = await eventually(async () => waha.requests.find((r) => r.body.session === channel.session));
      const externalId = request.id;
      // the echo WAHA publishes while our call still waits for its answer
      await deliver(channel.token, echo(channel.session, externalId, 'race'));
      const row = await messageRow(res.body.id);
      expect(row).toMatchObject({ status: 'sent', external_id: externalId });
      release();
      await eventually(async () => {
        const { rows } = await owner.query(
          `SELECT status FROM outbox_events WHERE aggregate_id = $1 AND event_type = 'message.send_requested'`,
          [res.body.id],
        );
        return rows[0]?.status === 'processed';
      });
      expect(await messagesOf(channel.id)).toHaveLength(1);
      expect((await messageRow(res.body.id)).external_id).toBe(externalId);
      expect(await eventsOf(res.body.id)).toEqual(['message.send_requested', 'message.sent']);
    } finally {
      waha.hold = undefined;
      release();
      await second.close();
    }
  });

  it('retries while WAHA is down, then marks the message failed with the reason', async () => {
    const channel = await channelFor(a, 'http://127.0.0.1:9');
    const contactId = await contactFor(a);
    const res = await t.http.post('/api/v1/messages').set(a.auth).send({ contactId, channelId: channel.id, text: 'lost' }).expect(202);
    const failed = await eventually(async () => {
      const row = await messageRow(res.body.id);
      return row.status === 'failed' && row;
    }, 20_000);
    expect(failed.error).toMatch(/unreachable/);
    const event = await owner.query(
      `SELECT status, retry_count FROM outbox_events WHERE aggregate_id = $1 AND event_type = 'message.send_requested'`,
      [res.body.id],
    );
    expect(event.rows[0]).toMatchObject({ status: 'processed', retry_count: 2 });
    expect(await eventsOf(res.body.id)).toEqual(['message.send_requested', 'message.failed']);
    const read = await t.http.get(`/api/v1/messages/${res.body.id}`).set(a.auth).expect(200);
    expect(read.body).toMatchObject({ status: 'failed', error: expect.stringMatching(/unreachable/) });
  });

  it("answers 404 for another tenant's chat, channel or contact", async () => {
    const channel = await channelFor(a);
    const contactId = await contactFor(a);
    const res = await t.http.post('/api/v1/messages').set(a.auth).send({ contactId, channelId: channel.id, text: 'mine' }).expect(202);
    const theirs = await t.http.post('/api/v1/messages').set(b.auth).send({ chatId: res.body.chatId, text: 'x' }).expect(404);
    expect(theirs.body.code).toBe('chat.not_found');
    const bContact = await contactFor(b);
    expect(
      (await t.http.post('/api/v1/messages').set(b.auth).send({ contactId: bContact, channelId: channel.id, text: 'x' }).expect(404)).body
        .code,
    ).toBe('channel.not_found');
    const bChannel = await channelFor(b);
    expect(
      (await t.http.post('/api/v1/messages').set(b.auth).send({ contactId, channelId: bChannel.id, text: 'x' }).expect(404)).body.code,
    ).toBe('contact.not_found');
    expect((await t.http.get(`/api/v1/messages/${res.body.id}`).set(b.auth).expect(404)).body.code).toBe('message.not_found');
  });

  it('answers 409 contact.no_phone for a contact without a phone', async () => {
    const channel = await channelFor(a);
    const contactId = await contactFor(a, null);
    const res = await t.http.post('/api/v1/messages').set(a.auth).send({ contactId, channelId: channel.id, text: 'x' }).expect(409);
    expect(res.body.code).toBe('contact.no_phone');
  });

  it.each([
    ['no target', { text: 'x' }],
    ['no content', { chatId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' }],
    [
      'both targets',
      {
        chatId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
        contactId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
        channelId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
        text: 'x',
      },
    ],
    [
      'text and media',
      { chatId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', text: 'x', media: { url: 'https://e.com/a.png', mimetype: 'image/png' } },
    ],
    ['a bad mimetype', { chatId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', media: { url: 'https://e.com/a.png', mimetype: 'png' } }],
    ['a bad url', { chatId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', media: { url: 'ftp://e.com/a.png', mimetype: 'image/png' } }],
    ['an empty text', { chatId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', text: '' }],
    ['a caption without media', { chatId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', text: 'x', caption: 'y' }],
  ])('answers 400 for %s', async (_name, body) => {
    const res = await t.http.post('/api/v1/messages').set(a.auth).send(body).expect(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});
