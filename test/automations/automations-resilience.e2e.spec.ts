import { Client } from 'pg';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { TransactionRunner } from '#persistence/transaction-runner';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from '../support/test-app';
import { createPipeline } from '../pipelines/pipelines-helpers';
import { verifiedBy, WebhookReceiver } from '../support/webhook-receiver';
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

  it('moves to New, tags, notes and sends a webhook, once per vip contact, when the relay dies in the middle of the batch; a chained automation reads the pipeline status', async () => {
    const { pipeline, status } = await createPipeline(t.http, a, 'Crash pipeline');
    const receiver = new WebhookReceiver();
    const receiverUrl = await receiver.start();
    const subscription = (
      await t.http
        .post('/api/v1/webhook-subscriptions')
        .set(a.auth)
        .send({ url: `${receiverUrl}/vips`, events: ['nothing.matches'] })
        .expect(201)
    ).body as { id: string; secret: string };
    const routing = await createAutomation(t.http, a, {
      name: 'route vips',
      enabled: true,
      trigger: { event: 'contact.created' },
      conditions: { all: [{ field: 'tags', op: 'contains', value: 'vip' }] },
      actions: [
        { type: 'move_to_status', params: { pipelineId: pipeline.id, statusId: status.New } },
        { type: 'add_tag', params: { tag: 'routed' } },
        { type: 'create_note', params: { text: 'VIP: call within the hour', pinned: true } },
        { type: 'send_webhook', params: { subscriptionId: subscription.id } },
      ],
    });
    // Triggered by the note the first one writes: one hop deeper, it sees the status the first one set.
    const chained = await createAutomation(t.http, a, {
      name: 'flag new vips',
      enabled: true,
      trigger: { event: 'note.created' },
      conditions: { all: [{ field: `pipelines.${pipeline.id}.status`, op: 'eq', value: 'New' }] },
      actions: [{ type: 'add_tag', params: { tag: 'in-new' } }],
    });
    await t.relay.stop();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await createContact(t.http, a, { name: `crash ${i}`, tags: ['vip'] }));
    const plain = await createContact(t.http, a, { name: 'not a vip', tags: ['lead'] });

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
      const rows = await executionsOf(admin, [routing.id, chained.id]);
      return rows.length === 10 && rows;
    }, 20_000);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    expect(
      runs
        .filter((r) => r.automation_id === routing.id)
        .map((r) => r.contact_id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(runs.filter((r) => r.automation_id === chained.id).every((r) => r.depth === 1 && r.event_type === 'note.created')).toBe(true);
    for (const id of ids) {
      const { rows } = await admin.query(
        `SELECT event_type, count(*)::int AS n FROM outbox_events WHERE aggregate_id::text = $1 OR event_data->>'contactId' = $1 GROUP BY 1 ORDER BY 1`,
        [id],
      );
      expect(rows).toEqual([
        { event_type: 'contact.created', n: 1 },
        { event_type: 'contact.entered_pipeline', n: 1 },
        { event_type: 'contact.updated', n: 2 },
        { event_type: 'note.created', n: 1 },
      ]);
      const contact = (await t.http.get(`/api/v1/contacts/${id}`).set(a.auth).expect(200)).body;
      expect(contact.tags).toEqual(['in-new', 'routed', 'vip']);
      const notes = (await t.http.get(`/api/v1/contacts/${id}/notes`).set(a.auth).expect(200)).body.data;
      expect(notes.map((n: { text: string; pinned: boolean }) => [n.text, n.pinned])).toEqual([['VIP: call within the hour', true]]);
    }
    // The contact without the tag got nothing.
    const { rows: other } = await admin.query(
      `SELECT event_type FROM outbox_events WHERE aggregate_id::text = $1 OR event_data->>'contactId' = $1`,
      [plain],
    );
    expect(other.map((r) => r.event_type)).toEqual(['contact.created']);

    // One signed delivery per vip's contact.created, its webhook-id the event's id, none for the other contact.
    const created = await admin.query(
      `SELECT event_id FROM outbox_events WHERE event_type = 'contact.created' AND aggregate_id = ANY($1)`,
      [ids],
    );
    await eventually(async () => receiver.on('/vips').length >= ids.length, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    const received = receiver.on('/vips');
    await receiver.stop();
    expect(received.map((r) => r.headers['webhook-id']).sort()).toEqual(created.rows.map((r) => r.event_id).sort());
    expect(received.every((r) => verifiedBy([subscription.secret], r.headers, r.body).length === 1)).toBe(true);

    BlockingConsumer.release();
    await doomed.relay.stop();
    await doomed.app.close();
    expect(await executionsOf(admin, [routing.id, chained.id])).toHaveLength(10);
    for (const id of [routing.id, chained.id]) await t.http.delete(`/api/v1/automations/${id}`).set(a.auth).expect(204);
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
