import { Client } from 'pg';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { TransactionRunner } from '#persistence/transaction-runner';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from '../support/test-app';
import { adminClient, contactEvents, createAutomation, createContact, executionsOf } from './automations-helpers';

/** Holds the first delivery of `contact.created` in its transaction until released: the relay can be killed there. */
@Consumer()
class BlockingConsumer implements OutboxConsumer {
  readonly name = 'test.automations_blocking';
  readonly eventTypes = ['contact.created'];
  static entered: () => void = () => undefined;
  static release: () => void = () => undefined;
  static blocked = false;

  constructor(private readonly tx: TransactionRunner) {}

  async handle(): Promise<void> {
    await this.tx.manager.query('SELECT 1');
    if (BlockingConsumer.blocked) return;
    BlockingConsumer.blocked = true;
    BlockingConsumer.entered();
    await new Promise<void>((resolve) => (BlockingConsumer.release = resolve));
  }
}

describe('automations across failures', () => {
  let t: TestApp;
  let a: Tenant;
  let admin: Client;

  beforeAll(async () => {
    t = await startTestApp({ env: { TIMER_POLL_INTERVAL_MS: '100' } });
    a = await registerTenant(t.http, 'automations-resilience');
    admin = await adminClient();
  });
  afterAll(async () => {
    await admin.end();
    await t.close();
  });

  it('runs every action exactly once when the relay dies in the middle of the batch', async () => {
    const list = (await t.http.post('/api/v1/contact-lists').set(a.auth).send({ name: 'crash list' }).expect(201)).body.id as string;
    const automation = await createAutomation(t.http, a, {
      name: 'crash',
      enabled: true,
      trigger: { event: 'contact.created' },
      conditions: { all: [{ field: 'tags', op: 'contains', value: 'vip' }] },
      actions: [
        { type: 'add_tag', params: { tag: 'routed' } },
        { type: 'add_to_list', params: { listId: list } },
      ],
    });
    await t.relay.stop();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await createContact(t.http, a, { name: `crash ${i}`, tags: ['vip'] }));

    // A second relay claims the batch and hangs inside its delivery transaction (the engine may have run already).
    const doomed = await startTestApp({ relay: false, providers: [BlockingConsumer], env: { RELAY_LEASE_SECONDS: '1' } });
    const entered = new Promise<void>((resolve) => (BlockingConsumer.entered = resolve));
    void doomed.relay.start();
    await entered;
    // Its process "dies": the database drops its connections and rolls the delivery back.
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'crm_app' AND pid <> pg_backend_pid() AND state = 'idle in transaction'`,
    );

    await t.relay.start();
    const runs = await eventually(async () => {
      const rows = await executionsOf(admin, [automation.id]);
      return rows.length === 5 && rows;
    }, 20_000);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    expect(new Set(runs.map((r) => r.contact_id))).toEqual(new Set(ids));
    for (const id of ids) {
      const types = (await contactEvents(admin, id)).map((e) => e.event_type);
      expect(types).toEqual(['contact.created', 'contact.updated']);
    }
    const listEvents = await contactEvents(admin, list);
    expect(listEvents.filter((e) => e.event_type === 'contact_list.contact_added')).toHaveLength(5);

    BlockingConsumer.release();
    await doomed.relay.stop();
    await doomed.app.close();
    expect(await executionsOf(admin, [automation.id])).toHaveLength(5);
  });

  it('runs a delayed action after its delay, across a restart of the process', async () => {
    const automation = await createAutomation(t.http, a, {
      name: 'follow up',
      enabled: true,
      trigger: { event: 'contact.created' },
      conditions: { all: [{ field: 'tags', op: 'contains', value: 'later' }] },
      actions: [
        { type: 'add_tag', params: { tag: 'seen' } },
        { type: 'add_tag', params: { tag: 'followed-up' }, delayMinutes: 1 },
      ],
    });
    const contact = await createContact(t.http, a, { name: 'Later', tags: ['later'] });
    const [run] = await eventually(async () => {
      const rows = await executionsOf(admin, [automation.id]);
      return rows.length > 0 && rows;
    });
    expect(run.actions.map((x) => x.status)).toEqual(['done', 'scheduled']);
    const { rows: timers } = await admin.query(
      `SELECT due_at, metadata FROM scheduled_timers WHERE kind = 'automation.action' AND payload->>'automationId' = $1`,
      [automation.id],
    );
    expect(timers).toHaveLength(1);
    const delay = new Date(timers[0].due_at).getTime() - Date.now();
    expect(delay).toBeGreaterThan(45_000);
    expect(delay).toBeLessThanOrEqual(60_000);
    expect(timers[0].metadata).toMatchObject({ causationId: run.event_id, causationDepth: 1 });

    // The process stops before the timer is due; time passes; another process fires it.
    await t.close();
    expect((await contactEvents(admin, contact)).map((e) => e.event_type)).toEqual(['contact.created', 'contact.updated']);
    await admin.query(`UPDATE scheduled_timers SET due_at = now() WHERE kind = 'automation.action' AND payload->>'automationId' = $1`, [
      automation.id,
    ]);
    t = await startTestApp({ env: { TIMER_POLL_INTERVAL_MS: '100' } });

    const settled = await eventually(async () => {
      const [row] = await executionsOf(admin, [automation.id]);
      return row.actions[1].status === 'done' && row;
    }, 15_000);
    expect(settled.status).toBe('succeeded');
    expect((await t.http.get(`/api/v1/contacts/${contact}`).set(a.auth).expect(200)).body.tags).toEqual(['followed-up', 'later', 'seen']);
    const updates = (await contactEvents(admin, contact)).filter((e) => e.event_type === 'contact.updated');
    expect(updates).toHaveLength(2);
    // Caused by the timer's event, which was caused by the contact's creation.
    const { rows: fired } = await admin.query(
      `SELECT event_id, metadata FROM outbox_events WHERE event_type = 'timer.automation.action' AND event_id = $1`,
      [updates[1].metadata.causationId],
    );
    expect(fired[0].metadata).toMatchObject({ causationId: run.event_id });
  });
});
