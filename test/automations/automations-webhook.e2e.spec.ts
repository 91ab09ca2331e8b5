import { Client } from 'pg';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from '../support/test-app';
import { verifiedBy, WebhookReceiver } from '../support/webhook-receiver';
import { adminClient, createAutomation, createContact, executionsOf } from './automations-helpers';

describe('automations: send_webhook', () => {
  let t: TestApp;
  let a: Tenant;
  let admin: Client;
  const receiver = new WebhookReceiver();
  let baseUrl: string;

  beforeAll(async () => {
    baseUrl = await receiver.start();
    t = await startTestApp();
    a = await registerTenant(t.http, 'automation-webhooks');
    admin = await adminClient();
  });
  afterAll(async () => {
    await admin.end();
    await t.close();
    await receiver.stop();
  });

  /** A subscription to no event at all: only the automation's action sends to it. */
  const subscription = async (path: string) => {
    const res = await t.http
      .post('/api/v1/webhook-subscriptions')
      .set(a.auth)
      .send({ url: `${baseUrl}${path}`, events: ['nothing.matches'] })
      .expect(201);
    return { id: res.body.id as string, secret: res.body.secret as string };
  };

  it('delivers the triggering event, signed, to the subscription once, whatever its filter', async () => {
    const sub = await subscription('/vip');
    const automation = await createAutomation(t.http, a, {
      name: 'Tell the CRM bridge about VIPs',
      enabled: true,
      trigger: { event: 'contact.created' },
      conditions: { all: [{ field: 'tags', op: 'contains', value: 'vip' }] },
      actions: [{ type: 'send_webhook', params: { subscriptionId: sub.id } }],
    });
    const vip = await createContact(t.http, a, { name: 'Grace', tags: ['vip'] });
    await createContact(t.http, a, { name: 'Plain' });

    const [delivery] = await eventually(async () => receiver.on('/vip').length > 0 && receiver.on('/vip'), 20_000);
    expect(verifiedBy([sub.secret], delivery.headers, delivery.body)).toEqual([0]);
    const body = JSON.parse(delivery.body);
    expect(body).toMatchObject({ type: 'contact.created', data: { name: 'Grace' } });
    const [run] = await executionsOf(admin, [automation.id]);
    expect(run).toMatchObject({ contact_id: vip, status: 'succeeded' });
    expect(delivery.headers['webhook-id']).toBe(run.event_id);
    expect(run.actions[0]).toMatchObject({ type: 'send_webhook', status: 'done' });

    await t.relay.wake();
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.on('/vip')).toHaveLength(1);
  });

  it('records an unknown subscription as a failed action', async () => {
    const automation = await createAutomation(t.http, a, {
      name: 'Nowhere',
      enabled: true,
      trigger: { event: 'contact.created' },
      conditions: { all: [{ field: 'name', op: 'eq', value: 'Nowhere' }] },
      actions: [{ type: 'send_webhook', params: { subscriptionId: '01a21290-0000-7000-8000-000000000000' } }],
    });
    await createContact(t.http, a, { name: 'Nowhere' });
    const [run] = await eventually(async () => {
      const rows = await executionsOf(admin, [automation.id]);
      return rows.length > 0 && rows;
    }, 20_000);
    expect(run.status).not.toBe('succeeded');
    expect(run.actions[0]).toMatchObject({ type: 'send_webhook', status: 'failed' });
  });

  it('runs a cron schedule through its durable timer and sets the next one; contact actions are refused on it', async () => {
    await t.http
      .post('/api/v1/automations')
      .set(a.auth)
      .send({ name: 'Bad', enabled: true, trigger: { schedule: '0 9 * * 1' }, actions: [{ type: 'add_tag', params: { tag: 'x' } }] })
      .expect(400);
    const sub = await subscription('/daily');
    const automation = await createAutomation(t.http, a, {
      name: 'Daily digest ping',
      enabled: true,
      trigger: { schedule: '0 9 * * *', timezone: 'Europe/Berlin' },
      actions: [{ type: 'send_webhook', params: { subscriptionId: sub.id } }],
    });
    const timer = async () =>
      (
        await admin.query(`SELECT id, due_at FROM scheduled_timers WHERE kind = 'automation.schedule' AND payload->>'automationId' = $1`, [
          automation.id,
        ])
      ).rows;
    const [first] = await timer();
    expect(new Date(first.due_at).getTime()).toBeGreaterThan(Date.now());

    // Its time comes (moved forward rather than waited for): it runs once and the next run is scheduled.
    await admin.query(`UPDATE scheduled_timers SET due_at = now() WHERE id = $1`, [first.id]);
    const [delivery] = await eventually(async () => receiver.on('/daily').length > 0 && receiver.on('/daily'), 20_000);
    expect(verifiedBy([sub.secret], delivery.headers, delivery.body)).toEqual([0]);
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'schedule', data: { scheduledFor: expect.any(String) } });
    const [run] = await executionsOf(admin, [automation.id]);
    expect(run).toMatchObject({ event_type: 'schedule', contact_id: null, status: 'succeeded' });
    const [next] = await eventually(async () => {
      const rows = await timer();
      return rows.length === 1 && new Date(rows[0].due_at).getTime() > Date.now() && rows;
    });
    expect(next.id).toBeDefined();

    // Disabled: no timer left.
    const current = (await t.http.get(`/api/v1/automations/${automation.id}`).set(a.auth).expect(200)).body;
    await t.http
      .patch(`/api/v1/automations/${automation.id}`)
      .set(a.auth)
      .set('If-Match', `"${current.version}"`)
      .send({ enabled: false })
      .expect(200);
    expect(await timer()).toEqual([]);
  });
});
