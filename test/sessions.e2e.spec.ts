import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';
import { deliverWaha, saidBy, wahaChannel, WahaBody } from './support/waha';

const said = saidBy('5511987654323', 'ROUTES');

describe('sessions: list, read, close', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let owner: Client;

  beforeAll(async () => {
    t = await startTestApp();
    a = await registerTenant(t.http, 'sess-a');
    b = await registerTenant(t.http, 'sess-b');
    owner = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await t?.close();
  });

  /** A channel of A's, and the messages delivered through its webhook, processed by the outbox. */
  const conversation = async (...bodies: WahaBody[]) => {
    const channel = await wahaChannel(t, a, { sessionTimeoutMinutes: 60 });
    await deliverWaha(t, owner, channel.token, ...bodies);
    return channel.id;
  };

  it('lists and reads sessions with their counts, first response time and duration; filters and pages', async () => {
    const t0 = Math.floor(Date.now() / 1000) - 10 * 60;
    const channelId = await conversation(said('1', t0), said('2', t0 + 42, true), said('3', t0 + 100));
    const list = await t.http.get('/api/v1/sessions').set(a.auth).expect(200);
    const session = list.body.data.find((s: { channelId: string }) => s.channelId === channelId);
    expect(session).toMatchObject({
      status: 'active',
      inboundCount: 2,
      outboundCount: 1,
      firstResponseSeconds: 42,
      durationSeconds: 100,
      endedAt: null,
      endReason: null,
      timeoutMinutes: 60,
    });
    const one = await t.http.get(`/api/v1/sessions/${session.id}`).set(a.auth).expect(200);
    expect(one.body).toEqual(session);
    expect(one.headers.etag).toBe(`"${session.version}"`);

    const byContact = await t.http.get(`/api/v1/sessions?contactId=${session.contactId}&chatId=${session.chatId}`).set(a.auth).expect(200);
    expect(byContact.body.data.map((s: { id: string }) => s.id)).toEqual([session.id]);
    const ended = await t.http.get(`/api/v1/sessions?chatId=${session.chatId}&status=ended`).set(a.auth).expect(200);
    expect(ended.body.data).toEqual([]);
    await t.http.get('/api/v1/sessions?status=open').set(a.auth).expect(400);
    await t.http.get('/api/v1/sessions?contactId=nope').set(a.auth).expect(400);

    // keyset: newest first, one per page
    await conversation(said('other', t0 + 5));
    const page1 = await t.http.get('/api/v1/sessions?limit=1').set(a.auth).expect(200);
    expect(page1.body.data).toHaveLength(1);
    const page2 = await t.http.get(`/api/v1/sessions?limit=1&cursor=${page1.body.nextCursor}`).set(a.auth).expect(200);
    expect(page2.body.data).toHaveLength(1);
    expect(page2.body.data[0].id < page1.body.data[0].id).toBe(true);

    // another tenant sees none of it
    expect((await t.http.get('/api/v1/sessions').set(b.auth).expect(200)).body.data).toEqual([]);
    await t.http.get(`/api/v1/sessions/${session.id}`).set(b.auth).expect(404);
  });

  it('closes a session by hand: manual, now, its timer cancelled, session.ended; If-Match guards it', async () => {
    const t0 = Math.floor(Date.now() / 1000) - 60;
    const channelId = await conversation(said('c1', t0), said('c2', t0 + 30, true));
    const { rows } = await owner.query(`SELECT id, version FROM sessions WHERE channel_id = $1`, [channelId]);
    const [{ id, version }] = rows;
    expect((await owner.query(`SELECT 1 FROM scheduled_timers WHERE kind = 'session.inactivity' AND key = $1`, [id])).rowCount).toBe(1);

    await t.http.post(`/api/v1/sessions/${id}/close`).set(b.auth).expect(404);
    const stale = await t.http
      .post(`/api/v1/sessions/${id}/close`)
      .set(a.auth)
      .set('If-Match', `"${version + 1}"`)
      .expect(412);
    expect(stale.body.code).toBe('precondition_failed');

    const before = Date.now();
    const closed = await t.http.post(`/api/v1/sessions/${id}/close`).set(a.auth).set('If-Match', `"${version}"`).expect(200);
    expect(closed.body).toMatchObject({ id, status: 'ended', endReason: 'manual', version: version + 1, firstResponseSeconds: 30 });
    expect(new Date(closed.body.endedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(closed.body.durationSeconds).toBeGreaterThanOrEqual(59);
    expect(closed.headers.etag).toBe(`"${version + 1}"`);
    expect((await owner.query(`SELECT 1 FROM scheduled_timers WHERE kind = 'session.inactivity' AND key = $1`, [id])).rowCount).toBe(0);
    const events = await owner.query(`SELECT event_type, event_data FROM outbox_events WHERE aggregate_id = $1 ORDER BY sequence`, [id]);
    expect(events.rows.map((e) => e.event_type)).toEqual(['session.started', 'session.ended']);
    expect(events.rows[1].event_data).toMatchObject({ reason: 'manual', inboundCount: 1, outboundCount: 1, firstResponseSeconds: 30 });

    const again = await t.http.post(`/api/v1/sessions/${id}/close`).set(a.auth).expect(409);
    expect(again.body.code).toBe('session.already_ended');
    await t.http.post('/api/v1/sessions/not-a-uuid/close').set(a.auth).expect(400);
  });

  describe('POST /sessions/:id/assign', () => {
    let stream: { body: string; close: () => void };
    beforeAll(async () => {
      await t.app.listen(0, '127.0.0.1');
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      stream = await openStream(port, a.auth);
    });
    afterAll(() => stream?.close());

    const systemAgent = async (tenant: Tenant, name: string) =>
      eventually(async () => {
        const res = await t.http.get('/api/v1/agents?type=system').set(tenant.auth).expect(200);
        return (res.body.data as { id: string; name: string }[]).find((x) => x.name === name)?.id;
      });
    const history = async (sessionId: string) =>
      (
        await owner.query(
          `SELECT agent_id, assigned_at, unassigned_at FROM agent_sessions WHERE session_id = $1 ORDER BY assigned_at, created_at`,
          [sessionId],
        )
      ).rows;

    it('assigns, reassigns (keeping the history), answers the agentId, emits session.assigned to the stream and the timeline', async () => {
      const t0 = Math.floor(Date.now() / 1000) - 60;
      const channelId = await conversation(said('as1', t0));
      const [{ id, contact_id: contactId }] = (await owner.query(`SELECT id, contact_id FROM sessions WHERE channel_id = $1`, [channelId]))
        .rows;
      const system = await systemAgent(a, 'System');
      const bot = (await t.http.post('/api/v1/agents').set(a.auth).send({ type: 'bot', name: 'Triage bot' }).expect(201)).body.id;

      const first = await t.http.post(`/api/v1/sessions/${id}/assign`).set(a.auth).send({ agentId: system }).expect(200);
      expect(first.body).toMatchObject({ id, agentId: system, status: 'active' });
      expect(first.headers.etag).toBe(`"${first.body.version}"`);
      expect((await t.http.get(`/api/v1/sessions/${id}`).set(a.auth).expect(200)).body.agentId).toBe(system);

      const second = await t.http.post(`/api/v1/sessions/${id}/assign`).set(a.auth).send({ agentId: bot }).expect(200);
      expect(second.body).toMatchObject({ agentId: bot, version: first.body.version + 1 });
      // the same agent again changes nothing
      const same = await t.http.post(`/api/v1/sessions/${id}/assign`).set(a.auth).send({ agentId: bot }).expect(200);
      expect(same.body.version).toBe(second.body.version);

      const rows = await history(id);
      expect(rows.map((r) => r.agent_id)).toEqual([system, bot]);
      expect(rows[0].unassigned_at).toEqual(rows[1].assigned_at);
      expect(rows[1].unassigned_at).toBeNull();
      const events = await owner.query(
        `SELECT event_data FROM outbox_events WHERE aggregate_id = $1 AND event_type = 'session.assigned' ORDER BY sequence`,
        [id],
      );
      expect(events.rows.map((e) => e.event_data)).toEqual([
        expect.objectContaining({ agentId: system, previousAgentId: null, contactId, channelId }),
        expect.objectContaining({ agentId: bot, previousAgentId: system, contactId, channelId }),
      ]);

      await eventually(async () => stream.body.includes(`"agentId":"${bot}"`) && stream.body.includes('event: session.assigned'));
      const timeline = await eventually(async () => {
        const res = await t.http.get(`/api/v1/contacts/${contactId}/timeline`).set(a.auth).expect(200);
        const data = res.body.data as { type: string; category: string; title: string }[];
        return data.filter((e) => e.type === 'session.assigned').length === 2 ? data : undefined;
      });
      expect(timeline.find((e) => e.type === 'session.assigned')).toMatchObject({
        category: 'conversations',
        title: 'Conversation assigned',
      });
    });

    it("refuses an ended session (409), an unknown, deleted or other tenant's agent or session (404), an inactive agent (409)", async () => {
      const t0 = Math.floor(Date.now() / 1000) - 60;
      const channelId = await conversation(said('as2', t0));
      const [{ id, version }] = (await owner.query(`SELECT id, version FROM sessions WHERE channel_id = $1`, [channelId])).rows;
      const assign = (agentId: string, auth = a.auth) => t.http.post(`/api/v1/sessions/${id}/assign`).set(auth).send({ agentId });
      const MISSING = '01a21290-0000-7000-8000-000000000000';

      expect((await assign(MISSING).expect(404)).body.code).toBe('agent.not_found');
      expect((await assign(await systemAgent(b, 'System')).expect(404)).body.code).toBe('agent.not_found');
      const bSystem = await systemAgent(b, 'System');
      expect((await assign(bSystem, b.auth).expect(404)).body.code).toBe('session.not_found');
      const idle = (await t.http.post('/api/v1/agents').set(a.auth).send({ type: 'ai', name: 'Idle', active: false }).expect(201)).body.id;
      expect((await assign(idle).expect(409)).body.code).toBe('agent.inactive');
      const gone = (await t.http.post('/api/v1/agents').set(a.auth).send({ type: 'ai', name: 'Gone' }).expect(201)).body.id;
      await t.http.delete(`/api/v1/agents/${gone}`).set(a.auth).expect(204);
      expect((await assign(gone).expect(404)).body.code).toBe('agent.not_found');
      await t.http.post(`/api/v1/sessions/${id}/assign`).set(a.auth).send({ agentId: 'nope' }).expect(400);
      await t.http.post(`/api/v1/sessions/${id}/assign`).set(a.auth).send({}).expect(400);
      const system = await systemAgent(a, 'System');
      const stale = await assign(system)
        .set('If-Match', `"${version + 1}"`)
        .expect(412);
      expect(stale.body.code).toBe('precondition_failed');
      expect(await history(id)).toEqual([]);

      await t.http.post(`/api/v1/sessions/${id}/close`).set(a.auth).expect(200);
      const ended = await assign(system).expect(409);
      expect(ended.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(ended.body.code).toBe('session.already_ended');
      expect(await history(id)).toEqual([]);
    });
  });
});

/** The tenant's SSE event stream, its text accumulated as it arrives. */
async function openStream(port: number, headers: Record<string, string>): Promise<{ body: string; close: () => void }> {
  const stream = { body: '', close: () => undefined as void };
  await new Promise<void>((resolve, reject) => {
    const req = http.get(
      { port, host: '127.0.0.1', path: '/api/v1/events/stream', headers: { Accept: 'text/event-stream', ...headers } },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          stream.body += chunk;
          if (stream.body.includes(': connected')) resolve();
        });
      },
    );
    req.on('error', reject);
    stream.close = () => void req.destroy();
  });
  return stream;
}
