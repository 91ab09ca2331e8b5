import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { TransactionRunner } from '#persistence/transaction-runner';
import { CONVERSATIONS_API, ConversationsApi } from '../src/contexts/conversations/conversations.api';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

/** A WEBJS message the contact with `phone` wrote `secondsAgo` seconds ago. */
const inbound = (session: string, phone: string, n: string, secondsAgo = 5) => ({
  event: 'message',
  session,
  engine: 'WEBJS',
  payload: {
    id: `false_${phone}@c.us_PORT${n}`,
    timestamp: Math.floor(Date.now() / 1000) - secondsAgo,
    from: `${phone}@c.us`,
    fromMe: false,
    to: '11111111111@c.us',
    body: `hello ${n}`,
    hasMedia: false,
  },
});

describe('conversations port: sendMessage and assignActiveSession for other contexts', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let owner: Client;
  let api: ConversationsApi;
  let tx: TransactionRunner;

  beforeAll(async () => {
    t = await startTestApp();
    a = await registerTenant(t.http, 'port-a');
    b = await registerTenant(t.http, 'port-b');
    owner = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await owner.connect();
    api = t.app.get<ConversationsApi>(CONVERSATIONS_API);
    tx = t.app.get(TransactionRunner);
  });
  afterAll(async () => {
    await owner?.end();
    await t?.close();
  });

  const asTenant = <T>(tenant: Tenant, fn: () => Promise<T>) => tx.runAsTenant(tenant.tenantId, () => fn());
  const agentId = async (tenant: Tenant, name: string) =>
    eventually(async () => {
      const { rows } = await owner.query(`SELECT id FROM agents WHERE project_id = $1 AND name = $2 AND type = 'system'`, [
        tenant.projectId,
        name,
      ]);
      return rows[0]?.id as string | undefined;
    });
  const eventOf = async (aggregateId: string, type: string) =>
    (await owner.query(`SELECT event_data FROM outbox_events WHERE aggregate_id = $1 AND event_type = $2`, [aggregateId, type])).rows[0]
      ?.event_data;

  let phones = 0;
  /** A channel of the tenant with one inbound message of a new contact processed: its contact, chat and active session. */
  const conversation = async (tenant: Tenant, session: string) => {
    phones += 1;
    const phone = `55119876500${String(phones).padStart(2, '0')}`;
    const res = await t.http
      .post('/api/v1/channels')
      .set(tenant.auth)
      .send({ name: 'WhatsApp', type: 'waha', config: { baseUrl: 'http://127.0.0.1:9', session } })
      .expect(201);
    const token = (res.body.webhookUrl as string).split('/').pop()!;
    await t.http
      .post(`/api/v1/webhooks/waha/${token}`)
      .send(inbound(session, phone, session))
      .expect(202);
    const row = await eventually(async () => {
      const { rows } = await owner.query(`SELECT id, contact_id, chat_id FROM sessions WHERE channel_id = $1`, [res.body.id]);
      return rows[0] as { id: string; contact_id: string; chat_id: string } | undefined;
    });
    return { channelId: res.body.id as string, sessionId: row.id, contactId: row.contact_id, chatId: row.chat_id };
  };

  it("sendMessage queues a pending message on the contact's latest chat as the System agent, or as the agent named", async () => {
    const c = await conversation(a, 'port-send');
    const system = await agentId(a, 'System');
    const { messageId } = await asTenant(a, () =>
      api.sendMessage({ projectId: a.projectId, contactId: c.contactId, text: 'from an automation' }),
    );
    const { rows } = await owner.query(`SELECT * FROM messages WHERE id = $1`, [messageId]);
    expect(rows[0]).toMatchObject({
      chat_id: c.chatId,
      channel_id: c.channelId,
      contact_id: c.contactId,
      direction: 'outbound',
      text: 'from an automation',
      sent_by_agent_id: system,
      sent_by_user_id: null,
    });
    expect(await eventOf(messageId, 'message.send_requested')).toMatchObject({ sentByAgentId: system, sentByUserId: null });

    const apiAgent = await agentId(a, 'API');
    const named = await asTenant(a, () =>
      api.sendMessage({ projectId: a.projectId, contactId: c.contactId, channelId: c.channelId, text: 'named', agentId: apiAgent }),
    );
    expect((await owner.query(`SELECT sent_by_agent_id, chat_id FROM messages WHERE id = $1`, [named.messageId])).rows[0]).toEqual({
      sent_by_agent_id: apiAgent,
      chat_id: c.chatId,
    });
  });

  it('sendMessage refuses an unknown agent, a contact without a chat, and another tenant', async () => {
    const c = await conversation(a, 'port-refuse');
    const send = (tenant: Tenant, input: Partial<Parameters<ConversationsApi['sendMessage']>[0]>) =>
      asTenant(tenant, () => api.sendMessage({ projectId: tenant.projectId, contactId: c.contactId, text: 'x', ...input }));
    await expect(send(a, { agentId: await agentId(b, 'System') })).rejects.toMatchObject({ code: 'agent.not_found' });
    const lonely = await t.http.post('/api/v1/contacts').set(a.auth).send({ name: 'No chat', phone: '+5511987650099' }).expect(201);
    await expect(send(a, { contactId: lonely.body.id })).rejects.toMatchObject({ code: 'contact.no_chat', kind: 'conflict' });
    // B's call on A's contact finds no chat of its own
    await expect(send(b, {})).rejects.toMatchObject({ code: 'contact.no_chat' });
  });

  it('assignActiveSession assigns the active session (session.assigned, agent_sessions) or answers undefined', async () => {
    const c = await conversation(a, 'port-assign');
    const system = await agentId(a, 'System');
    const assigned = await asTenant(a, () => api.assignActiveSession({ projectId: a.projectId, contactId: c.contactId, agentId: system }));
    expect(assigned).toEqual({ sessionId: c.sessionId });
    const session = await t.http.get(`/api/v1/sessions/${c.sessionId}`).set(a.auth).expect(200);
    expect(session.body.agentId).toBe(system);
    expect(await eventOf(c.sessionId, 'session.assigned')).toMatchObject({
      agentId: system,
      previousAgentId: null,
      contactId: c.contactId,
    });
    const { rows } = await owner.query(`SELECT agent_id, unassigned_at FROM agent_sessions WHERE session_id = $1`, [c.sessionId]);
    expect(rows).toEqual([{ agent_id: system, unassigned_at: null }]);

    await t.http.post(`/api/v1/sessions/${c.sessionId}/close`).set(a.auth).expect(200);
    expect(
      await asTenant(a, () => api.assignActiveSession({ projectId: a.projectId, contactId: c.contactId, agentId: system })),
    ).toBeUndefined();
    // another tenant's contact has no session there
    const bSystem = await agentId(b, 'System');
    expect(
      await asTenant(b, () => api.assignActiveSession({ projectId: b.projectId, contactId: c.contactId, agentId: bSystem })),
    ).toBeUndefined();
  });
});
