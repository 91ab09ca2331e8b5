import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { TransactionRunner } from '#persistence/transaction-runner';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

/** Fails the first two deliveries of every `contact.created` named "flaky…", "poison…" always while armed. */
@Consumer()
class FlakyConsumer implements OutboxConsumer {
  readonly name = 'test.flaky';
  readonly eventTypes = ['contact.created'];
  static attempts = new Map<string, number>();
  static handled = new Map<string, number>();
  static poisonArmed = true;

  async handle(events: readonly OutboxMessage[]): Promise<void> {
    for (const e of events) {
      const name = String(e.data.name ?? '');
      const attempt = (FlakyConsumer.attempts.get(e.eventId) ?? 0) + 1;
      FlakyConsumer.attempts.set(e.eventId, attempt);
      if (name.startsWith('flaky') && attempt <= 2) throw new Error(`flaky failure ${attempt}`);
      if (name.startsWith('poison') && FlakyConsumer.poisonArmed) throw new Error('poison event');
    }
    for (const e of events) FlakyConsumer.handled.set(e.eventId, (FlakyConsumer.handled.get(e.eventId) ?? 0) + 1);
  }
}

/** Holds its batch until released: lets a test kill the relay's connection in the middle of a delivery. */
@Consumer()
class BlockingConsumer implements OutboxConsumer {
  readonly name = 'test.blocking';
  readonly eventTypes = ['contact.created'];
  static entered: () => void = () => undefined;
  static release: () => void = () => undefined;

  constructor(private readonly tx: TransactionRunner) {}

  /** Blocks the first delivery only: the relay's retry of the batch after its connection died goes through. */
  static blocked = false;

  async handle(): Promise<void> {
    await this.tx.manager.query('SELECT 1');
    if (BlockingConsumer.blocked) return;
    BlockingConsumer.blocked = true;
    BlockingConsumer.entered();
    await new Promise<void>((resolve) => (BlockingConsumer.release = resolve));
  }
}

async function adminClient(): Promise<Client> {
  const client = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
  await client.connect();
  return client;
}

describe('outbox relay', () => {
  let t: TestApp;
  let a: Tenant;
  let admin: Client;

  beforeAll(async () => {
    t = await startTestApp({ providers: [FlakyConsumer], env: { RELAY_BASE_BACKOFF_MS: '20', RELAY_MAX_ATTEMPTS: '3' } });
    a = await registerTenant(t.http, 'outbox');
    admin = await adminClient();
  });
  afterAll(async () => {
    await admin.end();
    await t.close();
  });

  const eventsOf = async (aggregateId: string) =>
    (
      await admin.query(`SELECT id, event_id, event_type, status FROM outbox_events WHERE aggregate_id = $1 ORDER BY sequence`, [
        aggregateId,
      ])
    ).rows;

  it('delivers every committed change exactly once to each consumer, per aggregate in order', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 15; i++) {
      const res = await t.http
        .post('/api/v1/contacts')
        .set(a.auth)
        .send({ name: `c${i}`, email: `c${i}@once.test` });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
      await t.http
        .patch(`/api/v1/contacts/${res.body.id}`)
        .set(a.auth)
        .send({ tags: ['x'] })
        .then((r) => {
          if (r.status !== 200) throw new Error(JSON.stringify(r.body));
        });
    }
    await eventually(async () => {
      const { rows } = await admin.query(
        `SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = ANY($1) AND status <> 'processed'`,
        [ids],
      );
      return rows[0].n === 0;
    });
    const { rows } = await admin.query(
      `SELECT o.event_id, (SELECT count(*)::int FROM processed_events p WHERE p.event_id = o.event_id AND p.consumer_name = 'contacts.timeline') AS deliveries,
              (SELECT count(*)::int FROM contact_events c WHERE c.event_id = o.event_id) AS timeline_rows
         FROM outbox_events o WHERE o.aggregate_id = ANY($1)`,
      [ids],
    );
    expect(rows).toHaveLength(30);
    expect(rows.every((r) => r.deliveries === 1 && r.timeline_rows === 1)).toBe(true);
    for (const id of ids) {
      const timeline = await t.http.get(`/api/v1/contacts/${id}/timeline`).set(a.auth).expect(200);
      expect(timeline.body.data.map((e: { type: string }) => e.type)).toEqual(['contact.created', 'contact.updated']);
    }
  });

  it('writes no event for a rolled-back change', async () => {
    const before = (await admin.query(`SELECT count(*)::int AS n FROM outbox_events WHERE tenant_id = $1`, [a.tenantId])).rows[0].n;
    await t.http.post('/api/v1/contacts').set(a.auth).send({ name: 'dup', email: 'c0@once.test' }).expect(409);
    await t.http.patch(`/api/v1/contacts/00000000-0000-7000-8000-000000000000`).set(a.auth).send({ name: 'x' }).expect(404);
    await expect(
      t.app.get(TransactionRunner).runAsTenant(a.tenantId, async (em) => {
        await em.query(
          `INSERT INTO outbox_events (id, event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_data, occurred_at)
           VALUES (gen_random_uuid(), gen_random_uuid(), $1, 'contact', gen_random_uuid(), 1, 'contact.created', '{}', now())`,
          [a.tenantId],
        );
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const after = (await admin.query(`SELECT count(*)::int AS n FROM outbox_events WHERE tenant_id = $1`, [a.tenantId])).rows[0].n;
    expect(after).toBe(before);
  });

  it('retries a consumer that fails twice, then delivers once, without holding back other aggregates', async () => {
    const flaky = await t.http.post('/api/v1/contacts').set(a.auth).send({ name: 'flaky one' }).expect(201);
    const steady = await t.http.post('/api/v1/contacts').set(a.auth).send({ name: 'steady one' }).expect(201);
    const [flakyEvent] = await eventsOf(flaky.body.id);
    const [steadyEvent] = await eventsOf(steady.body.id);
    await eventually(async () => (await eventsOf(flaky.body.id))[0].status === 'processed');
    expect(FlakyConsumer.attempts.get(flakyEvent.event_id)).toBe(3);
    expect(FlakyConsumer.handled.get(flakyEvent.event_id)).toBe(1);
    expect(FlakyConsumer.handled.get(steadyEvent.event_id)).toBe(1);
    // The two failures count as the attempts of the deliveries they ended: two deliveries (2), a failed delivery then
    // a careful one whose isolating single attempt succeeded (1), or, with both events in one batch, the fast path
    // and the careful batch attempt failing and the isolating single attempt succeeding, all in one delivery (0).
    const row = (await admin.query(`SELECT retry_count, last_error FROM outbox_events WHERE id = $1`, [flakyEvent.id])).rows[0];
    expect([0, 1, 2]).toContain(row.retry_count);
    expect(row.last_error).toBeNull();
    // The timeline consumer succeeded on the first attempt and was not run again on the retries.
    const timeline = await admin.query(`SELECT count(*)::int AS n FROM contact_events WHERE event_id = $1`, [flakyEvent.event_id]);
    expect(timeline.rows[0].n).toBe(1);
  });

  it('dead-letters an event after the last attempt, lists it, and replays it on request', async () => {
    FlakyConsumer.poisonArmed = true;
    const poison = await t.http.post('/api/v1/contacts').set(a.auth).send({ name: 'poison pill' }).expect(201);
    const [event] = await eventsOf(poison.body.id);
    await eventually(async () => (await eventsOf(poison.body.id))[0].status === 'failed');
    const failed = await t.http.get('/api/v1/outbox?status=failed').set(a.auth).expect(200);
    expect(failed.body.data.map((e: { id: string }) => e.id)).toContain(event.id);
    expect(failed.body.data.find((e: { id: string }) => e.id === event.id)).toMatchObject({
      retryCount: 3,
      lastError: expect.stringContaining('poison event'),
    });

    const other = await registerTenant(t.http, 'outbox-other');
    await t.http.post(`/api/v1/outbox/${event.id}/replay`).set(other.auth).expect(404);
    await t.http
      .post(`/api/v1/outbox/${(await eventsOf(poison.body.id))[0].id}/replay`)
      .set(a.auth)
      .expect(202);
    FlakyConsumer.poisonArmed = false;
    await eventually(async () => (await eventsOf(poison.body.id))[0].status === 'processed');
    expect(FlakyConsumer.handled.get(event.event_id)).toBe(1);
    await t.http.post(`/api/v1/outbox/${event.id}/replay`).set(a.auth).expect(409);
  });

  it('redelivers a batch whose relay died mid-delivery, exactly once', async () => {
    await t.relay.stop();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (
          await t.http
            .post('/api/v1/contacts')
            .set(a.auth)
            .send({ name: `crash ${i}` })
            .expect(201)
        ).body.id,
      );

    // A second relay with a blocking consumer and a 1 s lease claims the batch and hangs in the middle of it.
    const doomed = await startTestApp({ relay: false, providers: [BlockingConsumer], env: { RELAY_LEASE_SECONDS: '1' } });
    const entered = new Promise<void>((resolve) => (BlockingConsumer.entered = resolve));
    void doomed.relay.start();
    await entered;
    expect(
      (await admin.query(`SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = ANY($1) AND status = 'processing'`, [ids]))
        .rows[0].n,
    ).toBe(5);
    // Its process "dies": the database drops its connections and rolls the delivery back.
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'crm_app' AND pid <> pg_backend_pid() AND state = 'idle in transaction'`,
    );

    // The first relay comes back; after the lease expires it claims the batch again and delivers it.
    await t.relay.start();
    await eventually(async () => {
      const { rows } = await admin.query(
        `SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = ANY($1) AND status = 'processed'`,
        [ids],
      );
      return rows[0].n === 5;
    }, 15_000);
    const { rows } = await admin.query(
      `SELECT (SELECT count(*)::int FROM contact_events c WHERE c.event_id = o.event_id) AS timeline_rows,
              (SELECT count(*)::int FROM processed_events p WHERE p.event_id = o.event_id) AS processed
         FROM outbox_events o WHERE o.aggregate_id = ANY($1)`,
      [ids],
    );
    expect(rows.map((r) => r.timeline_rows)).toEqual([1, 1, 1, 1, 1]);
    // timeline, flaky, the webhooks fan-out (it sees every event) and the automation engine, once each
    expect(rows.map((r) => r.processed)).toEqual([4, 4, 4, 4, 4]);

    // The dead relay wakes up late: its fenced claim must not touch what the live relay settled.
    BlockingConsumer.release();
    await doomed.relay.stop();
    await doomed.app.close();
    const after = await admin.query(`SELECT status FROM outbox_events WHERE aggregate_id = ANY($1)`, [ids]);
    expect(after.rows.every((r) => r.status === 'processed')).toBe(true);
  });

  it('prunes processed events, their consumer records and old Idempotency-Keys after the retention, nothing else', async () => {
    const old = (await t.http.post('/api/v1/contacts').set(a.auth).set('Idempotency-Key', 'old-key').send({ name: 'old news' }).expect(201))
      .body;
    const fresh = (await t.http.post('/api/v1/contacts').set(a.auth).send({ name: 'fresh news' }).expect(201)).body;
    await eventually(
      async () => (await eventsOf(old.id))[0].status === 'processed' && (await eventsOf(fresh.id))[0].status === 'processed',
    );
    const [oldEvent] = await eventsOf(old.id);
    await admin.query(`UPDATE outbox_events SET processed_at = now() - interval '8 days' WHERE id = $1`, [oldEvent.id]);
    await admin.query(`UPDATE processed_events SET processed_at = now() - interval '8 days' WHERE event_id = $1`, [oldEvent.event_id]);
    await admin.query(
      `UPDATE idempotency_keys SET created_at = now() - interval '2 days' WHERE tenant_id = $1 AND idempotency_key = 'old-key'`,
      [a.tenantId],
    );

    const pruned = await t.relay.prune();
    expect(pruned).toMatchObject({ outboxEvents: 1, idempotencyKeys: 1 });
    expect(pruned!.processedEvents).toBeGreaterThanOrEqual(1);
    expect(await eventsOf(old.id)).toEqual([]);
    expect((await admin.query(`SELECT count(*)::int AS n FROM processed_events WHERE event_id = $1`, [oldEvent.event_id])).rows[0].n).toBe(
      0,
    );
    expect(await eventsOf(fresh.id)).toHaveLength(1);
    // The contact itself and its timeline stay: only delivery bookkeeping goes.
    await t.http.get(`/api/v1/contacts/${old.id}`).set(a.auth).expect(200);
    expect((await t.http.get(`/api/v1/contacts/${old.id}/timeline`).set(a.auth)).body.data).toHaveLength(1);
    // The key is free again: the same key now creates a new contact.
    const again = await t.http
      .post('/api/v1/contacts')
      .set(a.auth)
      .set('Idempotency-Key', 'old-key')
      .send({ name: 'old news' })
      .expect(201);
    expect(again.body.id).not.toBe(old.id);
  });

  it('does not stall on a long queue behind one retrying event: other aggregates still flow', async () => {
    const stuck = randomUUID();
    // One event of `stuck` waits for its retry; 600 later ones queue behind it (more than a batch).
    await admin.query(
      `INSERT INTO outbox_events (id, event_id, tenant_id, project_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_data, occurred_at, next_attempt_at, retry_count)
       SELECT gen_random_uuid(), gen_random_uuid(), $1, $2, 'probe', $3, g, 'probe.happened', '{}', now(), CASE WHEN g = 1 THEN now() + interval '1 hour' ELSE now() END, CASE WHEN g = 1 THEN 1 ELSE 0 END
         FROM generate_series(1, 601) g`,
      [a.tenantId, a.projectId, stuck],
    );
    const free = (await t.http.post('/api/v1/contacts').set(a.auth).send({ name: 'free to go' }).expect(201)).body;
    await eventually(async () => (await eventsOf(free.id))[0].status === 'processed');
    const queued = await admin.query(`SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = $1 AND status = 'pending'`, [
      stuck,
    ]);
    expect(queued.rows[0].n).toBe(601);
    await admin.query(`DELETE FROM outbox_events WHERE aggregate_id = $1`, [stuck]);
  });

  it('lists and replays only the events of the credential’s own project', async () => {
    const second = (
      await t.http
        .post('/api/v1/projects')
        .set(a.auth)
        .send({ name: `Outbox other ${randomUUID()}` })
        .expect(201)
    ).body;
    const event = (await t.http.get('/api/v1/outbox').set(a.auth).expect(200)).body.data[0];
    const login = await t.http.post('/api/v1/auth/login').send({ email: a.email, password: a.password }).expect(200);
    const inSecond = { Authorization: `Bearer ${login.body.accessToken}`, 'X-Project-Id': second.id };
    const listed = await t.http.get('/api/v1/outbox').set(inSecond).expect(200);
    expect(listed.body.data.map((e: { id: string }) => e.id)).not.toContain(event.id);
    await t.http.post(`/api/v1/outbox/${event.id}/replay`).set(inSecond).expect(404);
  });

  it('counts an expired lease as an attempt, and dead-letters an event whose relays keep dying', async () => {
    const insert = (retryCount: number) =>
      admin.query(
        `INSERT INTO outbox_events (id, event_id, tenant_id, project_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_data, occurred_at, status, locked_until, retry_count)
         VALUES (gen_random_uuid(), gen_random_uuid(), $1, $2, 'probe', gen_random_uuid(), 1, 'probe.happened', '{}', now(), 'processing', now() - interval '1 minute', $3)
         RETURNING id`,
        [a.tenantId, a.projectId, retryCount],
      );
    const survivor = (await insert(0)).rows[0].id;
    // RELAY_MAX_ATTEMPTS is 3 here: this lease expiry is its last. The claim this relay makes (limit 0: nothing
    // else is taken) runs in the insert's transaction, so no relay of another suite with other settings sees it first.
    await admin.query('BEGIN');
    const poison = (await insert(2)).rows[0].id;
    await admin.query('SELECT * FROM outbox_claim(0, 60, 3)');
    await admin.query('COMMIT');
    await t.relay.wake();
    const row = async (id: string) =>
      (await admin.query(`SELECT status, retry_count, last_error FROM outbox_events WHERE id = $1`, [id])).rows[0];
    await eventually(async () => (await row(survivor)).status === 'processed');
    expect(await row(survivor)).toMatchObject({ retry_count: 1 });
    // The two may be settled by different claims: wait for the poison's too.
    await eventually(async () => (await row(poison)).status === 'failed');
    expect(await row(poison)).toMatchObject({ status: 'failed', retry_count: 3, last_error: expect.stringContaining('lease expired') });
  });
});
