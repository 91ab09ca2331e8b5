import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';
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
});
