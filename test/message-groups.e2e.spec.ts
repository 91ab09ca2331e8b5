import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';
import { deliverWaha, saidBy, wahaChannel, WahaBody } from './support/waha';

const said = saidBy('5511987654324', 'GROUP');
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe("message groups: a contact's rapid inbound messages, closed by a durable window timer", () => {
  let t: TestApp;
  let a: Tenant;
  let owner: Client;

  beforeAll(async () => {
    t = await startTestApp();
    a = await registerTenant(t.http, 'groups-a');
    owner = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await t?.close();
  });

  const deliver = (token: string, ...bodies: WahaBody[]) => deliverWaha(t, owner, token, ...bodies);
  const messagesOf = async (channelId: string) =>
    (await owner.query(`SELECT * FROM messages WHERE channel_id = $1 ORDER BY sent_at, id`, [channelId])).rows;
  const groupsOf = async (channelId: string) =>
    (await owner.query(`SELECT * FROM message_groups WHERE channel_id = $1 ORDER BY first_message_at, id`, [channelId])).rows;
  const eventsOf = async (groupId: string) =>
    (await owner.query(`SELECT event_type, event_data FROM outbox_events WHERE aggregate_id = $1 ORDER BY sequence`, [groupId])).rows;
  const timerOf = async (groupId: string) =>
    (await owner.query(`SELECT due_at FROM scheduled_timers WHERE kind = 'message_group.window' AND key = $1`, [groupId])).rows;
  /** The channel's groups once the first `n` are completed. */
  const completed = (channelId: string, n: number) =>
    eventually(async () => {
      const groups = await groupsOf(channelId);
      return groups.length >= n && groups.slice(0, n).every((g) => g.status === 'completed') ? groups : undefined;
    }, 20_000);

  it('groups rapid messages, each extending the window, and completes the group once when its timer fires', async () => {
    const channel = await wahaChannel(t, a, { debounceMs: 4000 });
    const now = nowSeconds();
    await deliver(channel.token, said('1', now), said('2', now, true), said('3', now + 1), said('4', now + 2));
    const messages = await messagesOf(channel.id);
    const inbound = messages.filter((m) => m.direction === 'inbound');
    const [group, ...others] = await groupsOf(channel.id);
    expect(others).toEqual([]);
    expect(group).toMatchObject({
      tenant_id: a.tenantId,
      project_id: a.projectId,
      contact_id: inbound[0].contact_id,
      chat_id: inbound[0].chat_id,
      session_id: inbound[0].session_id,
      status: 'pending',
      message_ids: inbound.map((m) => m.id),
      debounce_ms: 4000,
      completed_at: null,
    });
    expect(inbound.map((m) => m.message_group_id)).toEqual([group.id, group.id, group.id]);
    // messages from the channel's own phone are not the contact's: no group
    expect(messages.find((m) => m.direction === 'outbound').message_group_id).toBeNull();
    // the window ends debounceMs after the latest message, and the durable timer with it
    expect(group.first_message_at.getTime()).toBe(now * 1000);
    expect(group.expires_at.getTime()).toBe((now + 2) * 1000 + 4000);
    expect((await timerOf(group.id))[0].due_at.getTime()).toBe(group.expires_at.getTime());
    const read = await t.http.get(`/api/v1/messages/${inbound[0].id}`).set(a.auth).expect(200);
    expect(read.body.messageGroupId).toBe(group.id);

    const [done] = await completed(channel.id, 1);
    expect(done).toMatchObject({ id: group.id, status: 'completed', message_ids: group.message_ids });
    expect(done.completed_at.getTime()).toBe(group.expires_at.getTime());
    expect(await timerOf(group.id)).toEqual([]);
    const events = await eventsOf(group.id);
    expect(events.map((e) => e.event_type)).toEqual(['message_group.started', 'message_group.completed']);
    expect(events[1].event_data).toEqual({
      groupId: group.id,
      contactId: group.contact_id,
      chatId: group.chat_id,
      channelId: channel.id,
      sessionId: group.session_id,
      messageIds: group.message_ids,
      messageCount: 3,
      firstMessageAt: new Date(now * 1000).toISOString(),
      lastMessageAt: new Date((now + 2) * 1000).toISOString(),
      completedAt: group.expires_at.toISOString(),
    });
  });

  it('opens a new group for a message after its window closed', async () => {
    const channel = await wahaChannel(t, a, { debounceMs: 1000 });
    await deliver(channel.token, said('a', nowSeconds()));
    const [first] = await completed(channel.id, 1);
    await deliver(channel.token, said('b', nowSeconds()));
    const groups = await groupsOf(channel.id);
    expect(groups.map((g) => g.status)).toEqual(['completed', 'pending']);
    const messages = await messagesOf(channel.id);
    expect(groups.map((g) => g.message_ids)).toEqual([[messages[0].id], [messages[1].id]]);
    expect(messages.map((m) => m.message_group_id)).toEqual([first.id, groups[1].id]);
    // both in the same session
    expect(groups[1].session_id).toBe(first.session_id);
    expect((await eventsOf(first.id)).map((e) => e.event_type)).toEqual(['message_group.started', 'message_group.completed']);
  });

  it('completes a group by the next message when that is stamped after the window, before the timer fires', async () => {
    const channel = await wahaChannel(t, a, { debounceMs: 60_000 });
    const now = nowSeconds();
    // WhatsApp's clock, not ours: the second message is stamped 61 s after the first
    await deliver(channel.token, said('x', now), said('y', now + 61));
    const [first, second] = await groupsOf(channel.id);
    expect(first).toMatchObject({ status: 'completed', message_ids: [expect.any(String)] });
    expect(first.completed_at.getTime()).toBe((now + 60) * 1000);
    expect(second).toMatchObject({ status: 'pending', message_ids: [expect.any(String)] });
    // the first group's timer is cancelled, the second's runs
    expect(await timerOf(first.id)).toEqual([]);
    expect((await timerOf(second.id))[0].due_at.getTime()).toBe((now + 61 + 60) * 1000);
    const events = await eventsOf(first.id);
    expect(events.map((e) => e.event_type)).toEqual(['message_group.started', 'message_group.completed']);
    expect(events[1].event_data).toMatchObject({ messageCount: 1, completedAt: new Date((now + 60) * 1000).toISOString() });
  });

  it('is idempotent: redelivered webhooks, and its consumers run again on the same events, change nothing', async () => {
    const channel = await wahaChannel(t, a, { debounceMs: 1000 });
    const body = said('r', nowSeconds());
    const ids = await deliver(channel.token, body, body, { ...body, event: 'message.any' });
    const [group] = await completed(channel.id, 1);
    expect(group.message_ids).toHaveLength(1);
    expect(await messagesOf(channel.id)).toHaveLength(1);

    // As after a crash that lost the consumers' bookkeeping: the message events and the timer's fire go again.
    const again = await owner.query(
      `SELECT event_id FROM outbox_events
        WHERE (aggregate_id = ANY($1::uuid[]) AND event_type = 'channel.message_received')
           OR (aggregate_type = 'timer' AND event_data->>'key' = $2)`,
      [ids, group.id],
    );
    const eventIds = again.rows.map((r) => r.event_id);
    expect(eventIds.length).toBeGreaterThanOrEqual(2);
    await owner.query(
      `DELETE FROM processed_events WHERE event_id = ANY($1::uuid[])
          AND consumer_name IN ('conversations.inbound', 'conversations.message_group_window')`,
      [eventIds],
    );
    await owner.query(`UPDATE outbox_events SET status = 'pending', next_attempt_at = now() WHERE event_id = ANY($1::uuid[])`, [eventIds]);
    await eventually(async () => {
      const { rows } = await owner.query(
        `SELECT count(*)::int AS n FROM processed_events WHERE event_id = ANY($1::uuid[])
            AND consumer_name IN ('conversations.inbound', 'conversations.message_group_window')`,
        [eventIds],
      );
      return rows[0].n === eventIds.length;
    });
    expect(await messagesOf(channel.id)).toHaveLength(1);
    const groups = await groupsOf(channel.id);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ id: group.id, status: 'completed', version: group.version, message_ids: group.message_ids });
    expect((await eventsOf(group.id)).map((e) => e.event_type)).toEqual(['message_group.started', 'message_group.completed']);
  });

  it('keeps one group, completed once, while two relays process the messages at the same time', async () => {
    const t2 = await startTestApp();
    try {
      const channel = await wahaChannel(t, a, { debounceMs: 8000 });
      const now = nowSeconds();
      const bodies = Array.from({ length: 10 }, (_, i) => said(`p${i}`, now));
      await Promise.all([
        deliverWaha(t, owner, channel.token, ...bodies.filter((_, i) => i % 2 === 0)),
        deliverWaha(t2, owner, channel.token, ...bodies.filter((_, i) => i % 2 === 1)),
      ]);
      const messages = await messagesOf(channel.id);
      expect(messages).toHaveLength(10);
      expect(new Set(messages.map((m) => m.session_id)).size).toBe(1);
      const [group, ...others] = await groupsOf(channel.id);
      expect(others).toEqual([]);
      expect([...group.message_ids].sort()).toEqual(messages.map((m) => m.id).sort());
      const [done] = await completed(channel.id, 1);
      expect(done.message_ids).toHaveLength(10);
      const events = await eventsOf(group.id);
      expect(events.map((e) => e.event_type)).toEqual(['message_group.started', 'message_group.completed']);
    } finally {
      await t2.close();
    }
  });
});
