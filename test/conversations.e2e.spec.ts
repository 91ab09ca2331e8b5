import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';
import { deliverWaha, fixture, saidBy, wahaChannel, WahaBody, withPayload } from './support/waha';

/** The real capture with its fake number (which libphonenumber rightly refuses) replaced by a valid mobile. */
const validText = (): WahaBody =>
  JSON.parse(JSON.stringify(fixture('message-text.json')).replaceAll('554400000004', '5511987654321')) as WahaBody;

describe('conversations: WAHA webhooks to chats and messages', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let owner: Client;

  beforeAll(async () => {
    t = await startTestApp();
    a = await registerTenant(t.http, 'conv-a');
    b = await registerTenant(t.http, 'conv-b');
    owner = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await t?.close();
  });

  const channelFor = (tenant: Tenant, session = 'default', extra: Record<string, unknown> = {}) => wahaChannel(t, tenant, extra, session);
  const deliver = (token: string, ...bodies: WahaBody[]) => deliverWaha(t, owner, token, ...bodies);

  const messagesOf = async (channelId: string) =>
    (await owner.query(`SELECT * FROM messages WHERE channel_id = $1 ORDER BY sent_at, id`, [channelId])).rows;
  const chatsOf = async (channelId: string) => (await owner.query(`SELECT * FROM chats WHERE channel_id = $1`, [channelId])).rows;

  it('records the inbound text of a real capture: chat, message, and the contact by phone named by its push name', async () => {
    const body = validText();
    const channel = await channelFor(a, body.session);
    await deliver(channel.token, body);
    const [chat] = await chatsOf(channel.id);
    expect(chat).toMatchObject({ tenant_id: a.tenantId, project_id: a.projectId, type: 'direct', external_id: '5511987654321@c.us' });
    const messages = await messagesOf(channel.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      tenant_id: a.tenantId,
      chat_id: chat.id,
      contact_id: chat.contact_id,
      direction: 'inbound',
      type: 'text',
      text: 'No momento não vou poder',
      status: 'delivered',
      wa_message_id: '3A3CE2C5C341306326CF',
      session_id: expect.any(String),
    });
    // the parser gives seconds-based timestamps as dates
    expect(messages[0].sent_at.toISOString()).toBe('2025-09-23T14:10:37.000Z');
    const contact = await owner.query(`SELECT name, phone, tenant_id FROM contacts WHERE id = $1`, [chat.contact_id]);
    expect(contact.rows).toEqual([{ name: 'Cliente Teste C', phone: '+5511987654321', tenant_id: a.tenantId }]);
    const events = await owner.query(`SELECT event_type FROM outbox_events WHERE aggregate_id = $1`, [messages[0].id]);
    expect(events.rows).toEqual([{ event_type: 'message.received' }]);
  });

  it('records a message whose phone the contacts context refuses: its contact by its LID, else none', async () => {
    // a tenant of its own: the capture's LID is also in the other tests' messages
    const c = await registerTenant(t.http, 'conv-lid');
    const body = fixture('message-text.json');
    const channel = await channelFor(c, body.session);
    await deliver(channel.token, body);
    const [message] = await messagesOf(channel.id);
    expect(message).toMatchObject({ contact_id: expect.any(String), direction: 'inbound' });
    const contact = await owner.query(`SELECT name, phone FROM contacts WHERE id = $1`, [message.contact_id]);
    expect(contact.rows).toEqual([{ name: 'Cliente Teste C', phone: null }]);
    const identity = await owner.query(`SELECT kind, value FROM contact_identities WHERE contact_id = $1`, [message.contact_id]);
    expect(identity.rows).toEqual([{ kind: 'whatsapp_lid', value: '10000000000004@lid' }]);

    // without the LID (an engine that does not send it), the message has no contact
    const { SenderAlt: _lid, ...info } = (body.payload._data as { Info: Record<string, unknown> }).Info;
    const bare = withPayload(body, {
      id: '3A3CE2C5C341306326CE',
      _data: { ...(body.payload._data as object), Info: { ...info, ID: '3A3CE2C5C341306326CE' } },
    });
    const other = await channelFor(c, body.session);
    await deliver(other.token, bare);
    const messages = await messagesOf(other.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ contact_id: null, direction: 'inbound' });
    expect((await chatsOf(other.id))[0]).toMatchObject({ external_id: '554400000004@c.us', contact_id: null });
  });

  it.each([
    ['message-fromme.json', { direction: 'outbound', type: 'text', text: 'Hi there!', status: 'sent' }],
    ['message-image-docs.json', { type: 'image' }],
    ['message-document.json', { type: 'document' }],
    ['message-reply.json', {}],
  ])('records %s with the expected row', async (name, expected) => {
    const body = fixture(name);
    const channel = await channelFor(a, body.session);
    await deliver(channel.token, body);
    const messages = await messagesOf(channel.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ external_id: body.payload.id, ...expected });
    if (messages[0].direction === 'outbound') {
      const events = await owner.query(`SELECT event_type FROM outbox_events WHERE aggregate_id = $1`, [messages[0].id]);
      expect(events.rows).toEqual([{ event_type: 'message.recorded' }]);
    }
    if (name === 'message-image-docs.json') expect(messages[0].media).toMatchObject({ url: expect.stringMatching(/^https?:/) });
    expect(await chatsOf(channel.id)).toHaveLength(1);
  });

  it('makes one message of any number of deliveries: retries, and message with message.any', async () => {
    const body = validText();
    const channel = await channelFor(a, body.session);
    await deliver(channel.token, body, body, { ...body, event: 'message.any' }, body);
    expect(await messagesOf(channel.id)).toHaveLength(1);
    expect(await chatsOf(channel.id)).toHaveLength(1);
    const contacts = await owner.query(`SELECT count(*)::int AS n FROM contacts WHERE tenant_id = $1 AND phone = '+5511987654321'`, [
      a.tenantId,
    ]);
    expect(contacts.rows[0].n).toBe(1);
  });

  it('keeps an ack that arrives before its message and applies it when the message arrives', async () => {
    const ack = fixture('message-ack.json');
    const channel = await channelFor(a, ack.session);
    await deliver(channel.token, ack);
    expect(await messagesOf(channel.id)).toHaveLength(0);
    const pending = await owner.query(`SELECT status FROM pending_acks WHERE channel_id = $1`, [channel.id]);
    expect(pending.rows).toEqual([{ status: 'read' }]);
    await deliver(channel.token, withPayload(fixture('message-fromme.json'), { id: ack.payload.id }));
    const [message] = await messagesOf(channel.id);
    expect(message).toMatchObject({ external_id: ack.payload.id, status: 'read' });
    expect((await owner.query(`SELECT 1 FROM pending_acks WHERE channel_id = $1`, [channel.id])).rows).toHaveLength(0);
  });

  it('never moves a status backwards when acks arrive out of order or twice', async () => {
    const sent = fixture('message-fromme.json');
    const channel = await channelFor(a, sent.session);
    await deliver(channel.token, sent);
    const ack = (n: number) => withPayload(fixture('message-ack.json'), { id: sent.payload.id, ack: n });
    await deliver(channel.token, ack(3), ack(2), ack(3), ack(1));
    const [message] = await messagesOf(channel.id);
    expect(message.status).toBe('read');
    const changes = await owner.query(
      `SELECT event_data FROM outbox_events WHERE aggregate_id = $1 AND event_type = 'message.status_changed' ORDER BY sequence`,
      [message.id],
    );
    expect(changes.rows.map((r) => r.event_data)).toEqual([{ chatId: message.chat_id, from: 'sent', to: 'read' }]);
  });

  it('records and removes a reaction on its message', async () => {
    const reaction = fixture('message-reaction.json');
    const reacted = (reaction.payload.reaction as { messageId: string }).messageId;
    const channel = await channelFor(a, reaction.session);
    await deliver(channel.token, withPayload(fixture('message-fromme.json'), { id: reacted, from: '79111111@c.us', to: '79111111@c.us' }));
    await deliver(channel.token, reaction);
    const [message] = await messagesOf(channel.id);
    expect(Object.values(message.reactions)).toEqual([{ emoji: '🙏', at: expect.any(String) }]);
    await deliver(channel.token, withPayload(reaction, { reaction: { ...(reaction.payload.reaction as object), text: '' } }));
    expect((await messagesOf(channel.id))[0].reactions).toEqual({});
  });

  it("never lets another tenant's token reach this tenant's rows", async () => {
    const body = validText();
    const mine = await channelFor(a, body.session);
    const theirs = await channelFor(b, body.session);
    await deliver(mine.token, body);
    const before = (await owner.query(`SELECT count(*)::int AS n FROM messages WHERE tenant_id = $1`, [a.tenantId])).rows[0].n;
    // the same provider message through b's token: b's own rows, nothing added to or changed in a's
    await deliver(theirs.token, body);
    const [bMessage] = await messagesOf(theirs.id);
    expect(bMessage).toMatchObject({ tenant_id: b.tenantId, project_id: b.projectId });
    const after = (await owner.query(`SELECT count(*)::int AS n FROM messages WHERE tenant_id = $1`, [a.tenantId])).rows[0].n;
    expect(after).toBe(before);
    const [aChat] = await chatsOf(mine.id);
    const [bChat] = await chatsOf(theirs.id);
    expect(bChat.tenant_id).toBe(b.tenantId);
    expect(aChat.contact_id).toEqual(expect.any(String));
    expect(bChat.contact_id).toEqual(expect.any(String));
    expect(bChat.contact_id).not.toBe(aChat.contact_id);
    const contact = await owner.query(`SELECT tenant_id FROM contacts WHERE id = $1`, [bChat.contact_id]);
    expect(contact.rows).toEqual([{ tenant_id: b.tenantId }]);
  });

  describe('sessions', () => {
    const PHONE = '5511987654322';
    const said = saidBy(PHONE, 'SESSION');
    const sessionsOf = async (channelId: string) =>
      (await owner.query(`SELECT * FROM sessions WHERE channel_id = $1 ORDER BY started_at`, [channelId])).rows;

    it('keeps one session per contact and channel, counts it, and starts a new one after the timeout', async () => {
      const channel = await channelFor(a, 'default', { sessionTimeoutMinutes: 60 });
      const t0 = Math.floor(Date.now() / 1000) - 50 * 60;
      await deliver(channel.token, said('1', t0), said('2', t0 + 60, true), said('3', t0 + 120));
      const [first] = await sessionsOf(channel.id);
      expect(first).toMatchObject({
        tenant_id: a.tenantId,
        status: 'active',
        inbound_count: 2,
        outbound_count: 1,
        timeout_minutes: 60,
        ended_at: null,
      });
      expect(first.first_response_at.getTime()).toBe((t0 + 60) * 1000);
      expect(first.last_message_at.getTime()).toBe((t0 + 120) * 1000);
      const messages = await messagesOf(channel.id);
      expect(messages.map((m) => m.session_id)).toEqual([first.id, first.id, first.id]);
      expect(messages.map((m) => m.direction)).toEqual(['inbound', 'outbound', 'inbound']);
      // the durable timer is set to the idle deadline
      const timer = await owner.query(`SELECT due_at FROM scheduled_timers WHERE kind = 'session.inactivity' AND key = $1`, [first.id]);
      expect(timer.rows[0].due_at.getTime()).toBe((t0 + 120 + 3600) * 1000);

      // more than 60 minutes after the last message: the old session ends, a new one starts
      await deliver(channel.token, said('4', t0 + 120 + 3601));
      const [ended, second] = await sessionsOf(channel.id);
      expect(ended).toMatchObject({ id: first.id, status: 'ended', end_reason: 'inactivity_timeout' });
      expect(ended.ended_at.getTime()).toBe((t0 + 120 + 3600) * 1000);
      expect(second).toMatchObject({ status: 'active', inbound_count: 1, outbound_count: 0, first_response_at: null });
      expect((await messagesOf(channel.id)).at(-1).session_id).toBe(second.id);
      const events = await owner.query(`SELECT event_type, event_data FROM outbox_events WHERE aggregate_id = $1 ORDER BY sequence`, [
        first.id,
      ]);
      expect(events.rows.map((e) => e.event_type)).toEqual(['session.started', 'session.ended']);
      expect(events.rows[1].event_data).toMatchObject({ inboundCount: 2, outboundCount: 1, firstResponseSeconds: 60 });

      // the chat's messages through the API: newest first, page by page
      const chatId = messages[0].chat_id;
      const page1 = await t.http.get(`/api/v1/chats/${chatId}/messages?limit=3`).set(a.auth).expect(200);
      expect(page1.body.data.map((m: { text: string }) => m.text)).toEqual(['message 4', 'message 3', 'message 2']);
      const page2 = await t.http.get(`/api/v1/chats/${chatId}/messages?limit=3&cursor=${page1.body.nextCursor}`).set(a.auth).expect(200);
      expect(page2.body).toEqual({ data: [expect.objectContaining({ text: 'message 1', sessionId: first.id })], nextCursor: null });
      const one = await t.http.get(`/api/v1/messages/${page2.body.data[0].id}`).set(a.auth).expect(200);
      expect(one.body).toMatchObject({ chatId, sessionId: first.id, direction: 'inbound', status: 'delivered', reactions: {} });
      const chats = await t.http.get(`/api/v1/chats?channelId=${channel.id}&type=direct`).set(a.auth).expect(200);
      expect(chats.body.data.map((c: { id: string }) => c.id)).toEqual([chatId]);
      await t.http.get(`/api/v1/chats/${chatId}/messages?cursor=not-a-cursor`).set(a.auth).expect(400);
    });

    it('ends an idle session with its durable timer', async () => {
      const channel = await channelFor(a, 'default', { sessionTimeoutMinutes: 1 });
      const at = Math.floor(Date.now() / 1000) - 58;
      await deliver(channel.token, said('idle', at));
      const [session] = await sessionsOf(channel.id);
      expect(session.status).toBe('active');
      const ended = await eventually(async () => {
        const [s] = await sessionsOf(channel.id);
        return s.status === 'ended' ? s : undefined;
      }, 20_000);
      expect(ended).toMatchObject({ id: session.id, end_reason: 'inactivity_timeout' });
      expect(ended.ended_at.getTime()).toBe((at + 60) * 1000);
    });

    it("takes the project's timeout when the channel has none", async () => {
      const channel = await channelFor(a, 'default');
      await deliver(channel.token, said('p', Math.floor(Date.now() / 1000)));
      const [session] = await sessionsOf(channel.id);
      const project = await owner.query(`SELECT session_timeout_minutes FROM projects WHERE id = $1`, [a.projectId]);
      expect(session.timeout_minutes).toBe(project.rows[0].session_timeout_minutes);
    });
  });
});
