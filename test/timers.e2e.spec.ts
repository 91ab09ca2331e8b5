import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { appTarget, parseDatabaseUrl, relayTarget, toClientConfig } from '#persistence/connection-options';
import { TransactionRunner } from '#persistence/transaction-runner';
import { TimerPoller } from '#timers/timer-poller';
import { TimerScheduler } from '#timers/timer-scheduler';
import { TimerRequest } from '#timers/timer-spec';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

interface Received {
  message: OutboxMessage;
  at: number;
}

/** Records every `timer.test.*` event it is handed, per timer key, with when it arrived. */
@Consumer()
class TimerTestConsumer implements OutboxConsumer {
  readonly name = 'test.timers';
  readonly eventTypes = ['timer.test.*'];
  static received: Received[] = [];

  async handle(events: readonly OutboxMessage[]): Promise<void> {
    for (const message of events) TimerTestConsumer.received.push({ message, at: Date.now() });
  }
}

const ENV = { TIMER_POLL_INTERVAL_MS: '100' };
const owner = parseDatabaseUrl(process.env.DATABASE_URL!);
const receivedFor = (key: string) => TimerTestConsumer.received.filter((r) => r.message.data.key === key);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inMs = (ms: number) => new Date(Date.now() + ms);

async function connect(target = owner): Promise<Client> {
  const client = new Client(toClientConfig(target));
  await client.connect();
  return client;
}

function schedule(t: TestApp, tenant: Tenant, request: TimerRequest): Promise<void> {
  return t.app.get(TransactionRunner).runAsTenant(tenant.tenantId, () => t.app.get(TimerScheduler).schedule(request));
}

function cancel(t: TestApp, tenant: Tenant, kind: string, key: string): Promise<boolean> {
  return t.app.get(TransactionRunner).runAsTenant(tenant.tenantId, () => t.app.get(TimerScheduler).cancel(kind, key));
}

/** Timer events in the outbox for this key (the delivery log, whatever the consumers did). */
async function firedEvents(admin: Client, key: string): Promise<{ event_type: string; aggregate_id: string; status: string }[]> {
  const { rows } = await admin.query(
    `SELECT event_type, aggregate_id, status FROM outbox_events WHERE aggregate_type = 'timer' AND event_data->>'key' = $1 ORDER BY sequence`,
    [key],
  );
  return rows;
}

describe('durable timers', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let admin: Client;

  beforeAll(async () => {
    t = await startTestApp({ providers: [TimerTestConsumer], env: ENV });
    a = await registerTenant(t.http, 'timers-a');
    b = await registerTenant(t.http, 'timers-b');
    admin = await connect();
  });
  afterAll(async () => {
    await admin.end();
    await t.close();
  });

  it('fires once after its due time and delivers timer.<kind> with the payload exactly once', async () => {
    const key = randomUUID();
    const dueAt = inMs(700);
    await schedule(t, a, { kind: 'test.fired', key, dueAt, payload: { sessionId: key, n: 1 }, projectId: a.projectId });
    // Not yet due: a poll right now fires nothing.
    await t.app.get(TimerPoller).poll();
    expect(await firedEvents(admin, key)).toEqual([]);

    const [received] = await eventually(async () => receivedFor(key).length > 0 && receivedFor(key));
    expect(received.at).toBeGreaterThanOrEqual(dueAt.getTime());
    expect(received.message).toMatchObject({
      type: 'timer.test.fired',
      aggregateType: 'timer',
      tenantId: a.tenantId,
      projectId: a.projectId,
      data: { kind: 'test.fired', key, payload: { sessionId: key, n: 1 } },
    });
    expect(new Date(String(received.message.data.dueAt)).getTime()).toBe(dueAt.getTime());
    // Gone from the table, fired once, delivered once (and recorded once for exactly-once).
    await sleep(400);
    expect(receivedFor(key)).toHaveLength(1);
    expect(await firedEvents(admin, key)).toEqual([expect.objectContaining({ event_type: 'timer.test.fired', status: 'processed' })]);
    const { rows } = await admin.query(
      `SELECT (SELECT count(*)::int FROM scheduled_timers WHERE key = $1) AS pending,
              (SELECT count(*)::int FROM processed_events WHERE consumer_name = 'test.timers' AND event_id = $2) AS processed`,
      [key, received.message.eventId],
    );
    expect(rows[0]).toEqual({ pending: 0, processed: 1 });
  });

  it('reschedules the same (kind, key): it fires once, at the later time, with the latest payload', async () => {
    const key = randomUUID();
    await schedule(t, a, { kind: 'test.debounce', key, dueAt: inMs(300), payload: { v: 1 } });
    const later = inMs(1200);
    await schedule(t, a, { kind: 'test.debounce', key, dueAt: later, payload: { v: 2 } });
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM scheduled_timers WHERE key = $1`, [key]);
    expect(rows[0].n).toBe(1);

    await sleep(700);
    expect(receivedFor(key)).toEqual([]);
    expect(await firedEvents(admin, key)).toEqual([]);

    const [received] = await eventually(async () => receivedFor(key).length > 0 && receivedFor(key));
    expect(received.at).toBeGreaterThanOrEqual(later.getTime());
    expect(received.message.data.payload).toEqual({ v: 2 });
    await sleep(300);
    expect(receivedFor(key)).toHaveLength(1);
  });

  it('gives every event of one key the same aggregate, so a key fired again is delivered in order', async () => {
    const key = randomUUID();
    await schedule(t, a, { kind: 'test.repeat', key, dueAt: inMs(0), payload: { round: 1 } });
    await eventually(async () => receivedFor(key).length === 1);
    await schedule(t, a, { kind: 'test.repeat', key, dueAt: inMs(0), payload: { round: 2 } });
    await eventually(async () => receivedFor(key).length === 2);
    const [first, second] = receivedFor(key).map((r) => r.message);
    expect([first.data.payload, second.data.payload]).toEqual([{ round: 1 }, { round: 2 }]);
    expect(first.aggregateId).toBe(second.aggregateId);
    expect(first.eventId).not.toBe(second.eventId);
    // Another tenant's timer with the same kind and key is another aggregate.
    await schedule(t, b, { kind: 'test.repeat', key, dueAt: inMs(0) });
    await eventually(async () => receivedFor(key).length === 3);
    expect(receivedFor(key)[2].message.aggregateId).not.toBe(first.aggregateId);
  });

  it('cancel prevents firing', async () => {
    const key = randomUUID();
    await schedule(t, a, { kind: 'test.cancelled', key, dueAt: inMs(300) });
    expect(await cancel(t, a, 'test.cancelled', key)).toBe(true);
    expect(await cancel(t, a, 'test.cancelled', key)).toBe(false);
    await sleep(700);
    await t.app.get(TimerPoller).poll();
    await t.relay.wake();
    expect(await firedEvents(admin, key)).toEqual([]);
    expect(receivedFor(key)).toEqual([]);
  });

  it('a timer scheduled in a rolled-back transaction never fires', async () => {
    const key = randomUUID();
    const tx = t.app.get(TransactionRunner);
    await expect(
      tx.runAsTenant(a.tenantId, async () => {
        await t.app.get(TimerScheduler).schedule({ kind: 'test.rolled_back', key, dueAt: inMs(100) });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM scheduled_timers WHERE key = $1`, [key]);
    expect(rows[0].n).toBe(0);
    await sleep(500);
    await t.app.get(TimerPoller).poll();
    expect(await firedEvents(admin, key)).toEqual([]);
    expect(receivedFor(key)).toEqual([]);
  });

  it('refuses a bad kind, key or date before touching the database', async () => {
    await expect(schedule(t, a, { kind: 'Test Kind', key: 'k', dueAt: inMs(0) })).rejects.toThrow(/timer kind/);
    await expect(schedule(t, a, { kind: 'test.ok', key: '', dueAt: inMs(0) })).rejects.toThrow(/timer key/);
    await expect(schedule(t, a, { kind: 'test.ok', key: 'k', dueAt: new Date('nope') })).rejects.toThrow(/dueAt/);
    await expect(t.app.get(TimerScheduler).schedule({ kind: 'test.ok', key: 'k', dueAt: inMs(0) })).rejects.toThrow(/needs a tenant/);
  });

  it('keeps polling through failures: a failed fire is logged and the timer fires on a later tick', async () => {
    const key = randomUUID();
    await admin.query(`REVOKE EXECUTE ON FUNCTION timers_fire(integer) FROM crm_relay`);
    try {
      await schedule(t, a, { kind: 'test.outage', key, dueAt: inMs(0) });
      expect(await t.app.get(TimerPoller).poll()).toBe(0);
      await sleep(300);
      expect(await firedEvents(admin, key)).toEqual([]);
    } finally {
      await admin.query(`GRANT EXECUTE ON FUNCTION timers_fire(integer) TO crm_relay`);
    }
    await eventually(async () => receivedFor(key).length === 1);
  });

  describe('tenant isolation', () => {
    let app: Client;
    const key = randomUUID();

    beforeAll(async () => {
      app = await connect(appTarget(owner, process.env.APP_DB_PASSWORD!));
      await schedule(t, a, { kind: 'test.isolation', key, dueAt: inMs(3_600_000) });
    });
    afterAll(async () => {
      await cancel(t, a, 'test.isolation', key);
      await app.end();
    });

    const countAs = async (tenantId: string | null): Promise<number> => {
      await app.query('BEGIN');
      try {
        if (tenantId) await app.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantId]);
        const { rows } = await app.query(`SELECT count(*)::int AS n FROM scheduled_timers WHERE key = $1`, [key]);
        return rows[0].n;
      } finally {
        await app.query('ROLLBACK');
      }
    };

    it('crm_app sees no timers without a tenant, and only its own tenant with one', async () => {
      expect(await countAs(null)).toBe(0);
      expect(await countAs(b.tenantId)).toBe(0);
      expect(await countAs(a.tenantId)).toBe(1);
    });

    it('crm_app cannot write a timer for another tenant', async () => {
      await app.query('BEGIN');
      try {
        await app.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [b.tenantId]);
        await expect(
          app.query(`INSERT INTO scheduled_timers (id, tenant_id, kind, key, due_at) VALUES ($1, $2, 'test.x', 'k', now())`, [
            randomUUID(),
            a.tenantId,
          ]),
        ).rejects.toThrow(/row-level security/);
      } finally {
        await app.query('ROLLBACK');
      }
      // Nor cancel one: the delete sees only its own tenant's rows.
      await app.query('BEGIN');
      try {
        await app.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [b.tenantId]);
        const res = await app.query(`DELETE FROM scheduled_timers WHERE key = $1`, [key]);
        expect(res.rowCount).toBe(0);
      } finally {
        await app.query('ROLLBACK');
      }
      expect(await countAs(a.tenantId)).toBe(1);
    });

    it('crm_app cannot call timers_fire; only crm_relay can', async () => {
      await expect(app.query(`SELECT timers_fire(10)`)).rejects.toThrow(/permission denied for function timers_fire/);
      const relay = await connect(relayTarget(owner, process.env.APP_DB_PASSWORD!));
      try {
        // The relay role reaches timers only through the function, never the table.
        await expect(relay.query(`SELECT count(*) FROM scheduled_timers`)).rejects.toThrow(/permission denied/);
        const { rows } = await relay.query(`SELECT timers_fire(0) AS fired`);
        expect(rows[0].fired).toBe(0);
      } finally {
        await relay.end();
      }
    });
  });
});

describe('durable timers across processes', () => {
  let admin: Client;
  let a: Tenant;

  beforeAll(async () => {
    admin = await connect();
  });
  afterAll(() => admin.end());

  it('survive a restart: scheduled by one process, fired by the next one', async () => {
    const first = await startTestApp({ providers: [TimerTestConsumer], env: ENV });
    const key = randomUUID();
    let dueAt: Date;
    try {
      a = await registerTenant(first.http, 'timers-restart');
      dueAt = inMs(1500);
      await schedule(first, a, { kind: 'test.restart', key, dueAt, payload: { survived: true } });
    } finally {
      await first.close();
    }
    expect((await admin.query(`SELECT count(*)::int AS n FROM scheduled_timers WHERE key = $1`, [key])).rows[0].n).toBe(1);
    await sleep(Math.max(0, dueAt.getTime() - Date.now()) + 200);
    // Due while no process ran: nothing fired it.
    expect(await firedEvents(admin, key)).toEqual([]);

    const second = await startTestApp({ providers: [TimerTestConsumer], env: ENV });
    try {
      const [received] = await eventually(async () => receivedFor(key).length > 0 && receivedFor(key));
      expect(received.message.data.payload).toEqual({ survived: true });
      await sleep(300);
      expect(receivedFor(key)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('two relays fire each timer exactly once', async () => {
    const [one, two] = await Promise.all([
      startTestApp({ providers: [TimerTestConsumer], env: { TIMER_POLL_INTERVAL_MS: '20' } }),
      startTestApp({ providers: [TimerTestConsumer], env: { TIMER_POLL_INTERVAL_MS: '20' } }),
    ]);
    try {
      const tenant = await registerTenant(one.http, 'timers-two');
      const keys = Array.from({ length: 40 }, () => randomUUID());
      const dueAt = inMs(600);
      await one.app.get(TransactionRunner).runAsTenant(tenant.tenantId, async () => {
        for (const key of keys) await one.app.get(TimerScheduler).schedule({ kind: 'test.race', key, dueAt, payload: { key } });
      });
      // Both processes poll as hard as they can around the due time.
      const hammer = async (app: TestApp) => {
        for (let until = Date.now() + 1500; Date.now() < until;) await app.app.get(TimerPoller).poll();
      };
      await Promise.all([hammer(one), hammer(two)]);
      await eventually(async () => keys.every((key) => receivedFor(key).length >= 1));
      await sleep(300);
      for (const key of keys) {
        expect(receivedFor(key)).toHaveLength(1);
        expect(await firedEvents(admin, key)).toHaveLength(1);
      }
      const { rows } = await admin.query(
        `SELECT count(*)::int AS n FROM processed_events p JOIN outbox_events o ON o.event_id = p.event_id
          WHERE p.consumer_name = 'test.timers' AND o.event_data->>'key' = ANY($1)`,
        [keys],
      );
      expect(rows[0].n).toBe(keys.length);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
