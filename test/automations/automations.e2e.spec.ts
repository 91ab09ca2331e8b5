import { Client } from 'pg';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from '../support/test-app';
import { adminClient, contactEvents, createAutomation, createContact, executionsOf } from './automations-helpers';

describe('automations', () => {
  let t: TestApp;
  let a: Tenant;
  let admin: Client;

  beforeAll(async () => {
    t = await startTestApp({ env: { AUTOMATION_MAX_DEPTH: '5' } });
    a = await registerTenant(t.http, 'automations');
    admin = await adminClient();
  });
  afterAll(async () => {
    await admin.end();
    await t.close();
  });

  it('runs the actions of a matching automation once per event, and nothing for a contact that does not match', async () => {
    await t.http.post('/api/v1/contact-custom-fields').set(a.auth).send({ key: 'segment', label: 'Segment', type: 'text' }).expect(201);
    const list = (await t.http.post('/api/v1/contact-lists').set(a.auth).send({ name: 'VIPs' }).expect(201)).body.id as string;
    const automation = await createAutomation(t.http, a, {
      name: 'Route VIPs',
      enabled: true,
      trigger: { event: 'contact.created' },
      conditions: { all: [{ field: 'tags', op: 'contains', value: 'vip' }] },
      actions: [
        { type: 'add_tag', params: { tag: 'routed' } },
        { type: 'set_custom_field', params: { key: 'segment', value: 'gold' } },
        { type: 'add_to_list', params: { listId: list } },
      ],
    });
    const vip = await createContact(t.http, a, { name: 'Ada', tags: ['vip'] });
    const plain = await createContact(t.http, a, { name: 'Bob', tags: ['lead'] });

    const [run] = await eventually(async () => {
      const rows = await executionsOf(admin, [automation.id]);
      return rows.length > 0 && rows;
    });
    const contact = (await t.http.get(`/api/v1/contacts/${vip}`).set(a.auth).expect(200)).body;
    expect(contact.tags).toEqual(['routed', 'vip']);
    expect(contact.customFields).toEqual({ segment: 'gold' });
    const members = (await t.http.get(`/api/v1/contact-lists/${list}/contacts`).set(a.auth).expect(200)).body.data;
    expect(members.map((m: { id: string }) => m.id)).toEqual([vip]);
    expect(run).toMatchObject({ contact_id: vip, event_type: 'contact.created', status: 'succeeded', depth: 0 });
    expect(run.actions.map((x) => [x.type, x.status])).toEqual([
      ['add_tag', 'done'],
      ['set_custom_field', 'done'],
      ['add_to_list', 'done'],
    ]);

    // The action's events name the trigger as their cause, one hop deeper.
    const updates = (await contactEvents(admin, vip)).filter((e) => e.event_type === 'contact.updated');
    expect(updates).toHaveLength(2);
    expect(updates[0].metadata).toMatchObject({ causationId: run.event_id, causationDepth: 1 });

    // The other contact got nothing, and no run was recorded for it.
    await t.relay.wake();
    await new Promise((r) => setTimeout(r, 500));
    expect((await contactEvents(admin, plain)).map((e) => e.event_type)).toEqual(['contact.created']);
    expect(await executionsOf(admin, [automation.id])).toHaveLength(1);

    const page = (await t.http.get(`/api/v1/automations/${automation.id}/executions?limit=10`).set(a.auth).expect(200)).body;
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({ automationId: automation.id, contactId: vip, status: 'succeeded', depth: 0 });
  });

  it('records a refused action as failed and still runs the others', async () => {
    const automation = await createAutomation(t.http, a, {
      name: 'Bad field',
      enabled: true,
      trigger: { event: 'contact.created' },
      conditions: { all: [{ field: 'name', op: 'eq', value: 'Refused' }] },
      actions: [
        { type: 'set_custom_field', params: { key: 'undefined_key', value: 1 } },
        { type: 'add_tag', params: { tag: 'still-tagged' } },
      ],
    });
    const contact = await createContact(t.http, a, { name: 'Refused' });
    const [run] = await eventually(async () => {
      const rows = await executionsOf(admin, [automation.id]);
      return rows.length > 0 && rows;
    });
    expect(run.status).toBe('failed');
    expect(run.actions.map((x) => x.status)).toEqual(['failed', 'done']);
    expect(run.actions[0].error).toMatch(/^contact\.invalid_custom_fields/);
    expect((await t.http.get(`/api/v1/contacts/${contact}`).set(a.auth).expect(200)).body.tags).toEqual(['still-tagged']);
  });

  it('runs several matching automations by priority, and skips disabled and deleted ones', async () => {
    const low = await createAutomation(t.http, a, {
      name: 'low',
      enabled: true,
      priority: 1,
      trigger: { event: 'contact.created' },
      conditions: { all: [{ field: 'email', op: 'contains', value: '@prio.test' }] },
      actions: [{ type: 'add_tag', params: { tag: 'low' } }],
    });
    const high = await createAutomation(t.http, a, {
      name: 'high',
      enabled: true,
      priority: 9,
      trigger: { event: 'contact.created' },
      conditions: {
        any: [
          { field: 'email', op: 'contains', value: '@PRIO.test' },
          { field: 'phone', op: 'exists' },
        ],
      },
      actions: [{ type: 'add_tag', params: { tag: 'high' } }],
    });
    const disabled = await createAutomation(t.http, a, {
      name: 'off',
      enabled: false,
      trigger: { event: 'contact.created' },
      actions: [{ type: 'add_tag', params: { tag: 'off' } }],
    });
    const deleted = await createAutomation(t.http, a, {
      name: 'gone',
      enabled: true,
      trigger: { event: 'contact.created' },
      actions: [{ type: 'add_tag', params: { tag: 'gone' } }],
    });
    await t.http.delete(`/api/v1/automations/${deleted.id}`).set(a.auth).set('If-Match', '"1"').expect(204);

    const contact = await createContact(t.http, a, { name: 'Prio', email: 'p@prio.test' });
    const runs = await eventually(async () => {
      const rows = await executionsOf(admin, [low.id, high.id, disabled.id, deleted.id]);
      return rows.length >= 2 && rows;
    });
    expect(runs.map((r) => r.automation_id)).toEqual([high.id, low.id]);
    const updates = (await contactEvents(admin, contact)).filter((e) => e.event_type === 'contact.updated');
    expect(updates.map((e) => (e.event_data.changes as { tags: string[] }).tags)).toEqual([['high'], ['high', 'low']]);
    await t.http.delete(`/api/v1/automations/${low.id}`).set(a.auth).expect(204);
    await t.http.delete(`/api/v1/automations/${high.id}`).set(a.auth).expect(204);
  });

  it('answers a message through the conversations port and assigns the session to an agent', async () => {
    const agent = (await t.http.get('/api/v1/agents?type=human').set(a.auth).expect(200)).body.data[0].id as string;
    const automation = await createAutomation(t.http, a, {
      name: 'Price question',
      enabled: true,
      trigger: { event: 'message.received' },
      conditions: { all: [{ field: 'message.text', op: 'contains', value: 'PRICE' }] },
      actions: [
        { type: 'send_message', params: { text: 'Our prices: example.com/prices' } },
        { type: 'assign_agent', params: { agentId: agent } },
      ],
    });
    const channel = (
      await t.http
        .post('/api/v1/channels')
        .set(a.auth)
        .send({ name: 'WhatsApp', type: 'waha', config: { baseUrl: 'http://127.0.0.1:9', session: 'default' } })
        .expect(201)
    ).body;
    const token = String(channel.webhookUrl).split('/').pop();
    // Stamped now: an old stamp would leave the session's inactivity timer already due, racing the assignment.
    const now = Math.floor(Date.now() / 1000);
    const inbound = (id: string, body: string) =>
      t.http
        .post(`/api/v1/webhooks/waha/${token}`)
        .send({
          event: 'message',
          session: 'default',
          payload: { id, timestamp: now, from: '14155550142@c.us', fromMe: false, body },
        })
        .expect(202);
    await inbound('false_14155550142@c.us_1', 'hello');
    await inbound('false_14155550142@c.us_2', 'what is the price?');

    const [run] = await eventually(async () => {
      const rows = await executionsOf(admin, [automation.id]);
      return rows.length > 0 && rows;
    });
    expect(run.actions.map((x) => [x.type, x.status])).toEqual([
      ['send_message', 'done'],
      ['assign_agent', 'done'],
    ]);
    const messageId = run.actions[0].result!.messageId;
    const message = (await t.http.get(`/api/v1/messages/${messageId}`).set(a.auth).expect(200)).body;
    expect(message).toMatchObject({ direction: 'outbound', text: 'Our prices: example.com/prices', contactId: run.contact_id });
    const session = (await t.http.get(`/api/v1/sessions/${run.actions[1].result!.sessionId}`).set(a.auth).expect(200)).body;
    expect(session.agentId).toBe(agent);
    // Only the matching message ran it.
    await new Promise((r) => setTimeout(r, 300));
    expect(await executionsOf(admin, [automation.id])).toHaveLength(1);
    await t.http.delete(`/api/v1/automations/${automation.id}`).set(a.auth).expect(204);
  });

  it('stops a chain of automations triggering each other at AUTOMATION_MAX_DEPTH, and marks the run', async () => {
    // Each reads the change the event carries (not the contact as it is now), so each event triggers one of them.
    const ping = await createAutomation(t.http, a, {
      name: 'ping',
      enabled: true,
      trigger: { event: 'contact.updated' },
      conditions: { all: [{ field: 'event.changes.tags', op: 'contains', value: 'ping' }] },
      actions: [
        { type: 'remove_tag', params: { tag: 'ping' } },
        { type: 'add_tag', params: { tag: 'pong' } },
      ],
    });
    const pong = await createAutomation(t.http, a, {
      name: 'pong',
      enabled: true,
      trigger: { event: 'contact.updated' },
      conditions: { all: [{ field: 'event.changes.tags', op: 'contains', value: 'pong' }] },
      actions: [
        { type: 'remove_tag', params: { tag: 'pong' } },
        { type: 'add_tag', params: { tag: 'ping' } },
      ],
    });
    const contact = await createContact(t.http, a, { name: 'Loop' });
    await t.http
      .patch(`/api/v1/contacts/${contact}`)
      .set(a.auth)
      .send({ tags: ['ping'] })
      .expect(200);

    const runs = await eventually(async () => {
      const rows = await executionsOf(admin, [ping.id, pong.id]);
      return rows.some((r) => r.status === 'depth_exceeded') && rows;
    }, 20_000);
    expect(runs.map((r) => [r.automation_id, r.depth, r.status])).toEqual([
      [ping.id, 0, 'succeeded'],
      [pong.id, 1, 'succeeded'],
      [ping.id, 2, 'succeeded'],
      [pong.id, 3, 'succeeded'],
      [ping.id, 4, 'succeeded'],
      [pong.id, 5, 'depth_exceeded'],
    ]);
    expect(runs[5].actions.every((x) => x.status === 'skipped')).toBe(true);
    const page = (await t.http.get(`/api/v1/automations/${pong.id}/executions?limit=1`).set(a.auth).expect(200)).body;
    expect(page.data[0]).toMatchObject({ status: 'depth_exceeded', depth: 5 });
    expect(page.nextCursor).not.toBeNull();
    const older = (await t.http.get(`/api/v1/automations/${pong.id}/executions?limit=5&cursor=${page.nextCursor}`).set(a.auth).expect(200))
      .body;
    expect(older.data.map((e: { depth: number }) => e.depth)).toEqual([3, 1]);
    // The contact keeps the tag the last allowed run gave it, and the chain is over.
    expect((await t.http.get(`/api/v1/contacts/${contact}`).set(a.auth).expect(200)).body.tags).toEqual(['pong']);
    for (const id of [ping.id, pong.id]) await t.http.delete(`/api/v1/automations/${id}`).set(a.auth).expect(204);
  });
});
