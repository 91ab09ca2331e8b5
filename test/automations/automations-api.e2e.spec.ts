import { registerTenant, startTestApp, Tenant, TestApp } from '../support/test-app';
import { createAutomation, createContact } from './automations-helpers';

const VALID = {
  name: 'Tag VIPs',
  enabled: true,
  trigger: { event: 'contact.created' },
  conditions: { all: [{ field: 'tags', op: 'contains', value: 'vip' }] },
  actions: [{ type: 'add_tag', params: { tag: 'routed' } }],
};

describe('automations API', () => {
  let t: TestApp;
  let a: Tenant;

  beforeAll(async () => {
    t = await startTestApp({ relay: false });
    a = await registerTenant(t.http, 'automations-api');
  });
  afterAll(() => t.close());

  const post = (body: object) => t.http.post('/api/v1/automations').set(a.auth).send(body);

  it.each([
    ['an unknown trigger', { trigger: { event: 'contact.exploded' } }, 'trigger.event'],
    ['a trigger with both event and extra keys', { trigger: { event: 'contact.created', when: 'now' } }, 'trigger'],
    ['a trigger with neither', { trigger: {} }, 'trigger'],
    ['an unknown field', { conditions: { all: [{ field: 'shoeSize', op: 'eq', value: 1 }] } }, 'conditions.all[0].field'],
    ['an unknown operator', { conditions: { any: [{ field: 'email', op: 'like', value: 'x' }] } }, 'conditions.any[0].op'],
    ['`in` without an array', { conditions: { all: [{ field: 'email', op: 'in', value: 'x' }] } }, 'conditions.all[0].value'],
    [
      'a bad element of a nested group',
      {
        conditions: {
          all: [
            {
              any: [
                { field: 'tags', op: 'contains', value: 'a' },
                { field: 'customFields.', op: 'eq', value: 1 },
              ],
            },
          ],
        },
      },
      'conditions.all[0].any[1].field',
    ],
    ['an unknown group key', { conditions: { none: [] } }, 'conditions.none'],
    [
      'an unknown action',
      {
        actions: [
          { type: 'add_tag', params: { tag: 'x' } },
          { type: 'launch_rocket', params: {} },
        ],
      },
      'actions[1].type',
    ],
    ['a missing parameter', { actions: [{ type: 'add_tag', params: {} }] }, 'actions[0].params.tag'],
    ['an unknown parameter', { actions: [{ type: 'add_tag', params: { tag: 'x', colour: 'red' } }] }, 'actions[0].params.colour'],
    ['a list id that is not a UUID', { actions: [{ type: 'add_to_list', params: { listId: 'nope' } }] }, 'actions[0].params.listId'],
    ['a negative delay', { actions: [{ type: 'add_tag', params: { tag: 'x' }, delayMinutes: -1 }] }, 'actions[0].delayMinutes'],
    ['no actions', { actions: [] }, 'actions'],
    ['a schedule that is not cron', { trigger: { schedule: 'every tuesday' } }, 'trigger.schedule'],
  ])('refuses %s with 400 naming the bad element', async (_name, patch, field) => {
    const res = await post({ ...VALID, ...patch }).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('automation.invalid_definition');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses malformed bodies with 400, never 500', async () => {
    for (const body of [
      { ...VALID, actions: 'add_tag' },
      { ...VALID, trigger: 'contact.created' },
      { ...VALID, name: '' },
      { ...VALID, extra: 1 },
    ]) {
      const res = await post(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
  });

  it('creates, reads, lists, changes under If-Match, deletes and restores an automation', async () => {
    const created = await post({ ...VALID, priority: 3, description: ' Tags VIPs ' }).expect(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({ ...VALID, priority: 3, description: 'Tags VIPs', version: 1, deletedAt: null });
    const id = created.body.id;
    expect((await t.http.get(`/api/v1/automations/${id}`).set(a.auth).expect(200)).body.name).toBe('Tag VIPs');
    const list = (await t.http.get('/api/v1/automations?limit=200').set(a.auth).expect(200)).body;
    expect(list.data.map((x: { id: string }) => x.id)).toContain(id);

    await t.http.patch(`/api/v1/automations/${id}`).set(a.auth).set('If-Match', '"7"').send({ enabled: false }).expect(412);
    await t.http.patch(`/api/v1/automations/${id}`).set(a.auth).send({ enabled: false, version: 7 }).expect(409);
    const bad = await t.http
      .patch(`/api/v1/automations/${id}`)
      .set(a.auth)
      .send({ actions: [{ type: 'nope', params: {} }] })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('actions[0].type');
    const changed = await t.http
      .patch(`/api/v1/automations/${id}`)
      .set(a.auth)
      .set('If-Match', '"1"')
      .send({ enabled: false, actions: [{ type: 'remove_tag', params: { tag: 'vip' }, delayMinutes: 5 }] })
      .expect(200);
    expect(changed.headers.etag).toBe('"2"');
    expect(changed.body).toMatchObject({ enabled: false, actions: [{ type: 'remove_tag', params: { tag: 'vip' }, delayMinutes: 5 }] });

    await t.http.delete(`/api/v1/automations/${id}`).set(a.auth).set('If-Match', '"1"').expect(412);
    await t.http.delete(`/api/v1/automations/${id}`).set(a.auth).set('If-Match', '"2"').expect(204);
    await t.http.get(`/api/v1/automations/${id}`).set(a.auth).expect(404);
    await t.http.patch(`/api/v1/automations/${id}`).set(a.auth).send({ enabled: true }).expect(404);
    const restored = await t.http.post(`/api/v1/automations/${id}/restore`).set(a.auth).expect(200);
    expect(restored.body).toMatchObject({ version: 4, deletedAt: null });
    await t.http.post(`/api/v1/automations/${id}/restore`).set(a.auth).expect(404);
  });

  it('serves the catalog: exactly what validation accepts', async () => {
    const catalog = (await t.http.get('/api/v1/automations/catalog').set(a.auth).expect(200)).body;
    expect(catalog.triggers.map((x: { trigger: string }) => x.trigger)).toEqual(
      expect.arrayContaining(['contact.created', 'message.received']),
    );
    expect(catalog.operators.map((x: { op: string }) => x.op)).toEqual(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'in', 'exists']);
    expect(catalog.fields.map((x: { field: string }) => x.field)).toEqual(
      expect.arrayContaining(['tags', 'customFields.<key>', 'message.text']),
    );
    const addTag = catalog.actions.find((x: { type: string }) => x.type === 'add_tag');
    expect(addTag.params).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['tag'],
      properties: { tag: { type: 'string', minLength: 1, maxLength: 100, description: 'The tag' } },
    });
    // Every trigger and action offered is accepted (a schedule only where the catalog offers one).
    for (const { trigger } of catalog.triggers.filter((x: { trigger: string }) => x.trigger !== 'schedule'))
      await post({ ...VALID, enabled: false, trigger: { event: trigger } }).expect(201);
    const uuid = '01a21290-0000-7000-8000-000000000000';
    const sample: Record<string, unknown> = {
      tag: 'x',
      key: 'k',
      value: 1,
      listId: uuid,
      agentId: uuid,
      subscriptionId: uuid,
      pipelineId: uuid,
      statusId: uuid,
    };
    for (const action of catalog.actions) {
      const params = Object.fromEntries(action.params.required.map((k: string) => [k, sample[k] ?? 'x']));
      await post({ ...VALID, enabled: false, actions: [{ type: action.type, params }] }).expect(201);
    }
  });

  it('dry-runs an automation on a sample event: the conditions and what each action would do, changing nothing', async () => {
    const contact = await createContact(t.http, a, { name: 'Dry', tags: ['vip'], email: 'dry@run.test' });
    const automation = await createAutomation(t.http, a, {
      ...VALID,
      conditions: {
        all: [{ field: 'tags', op: 'contains', value: 'vip' }],
        any: [
          { field: 'email', op: 'eq', value: 'other@run.test' },
          { all: [{ field: 'event.source', op: 'in', value: ['import', 'api'] }] },
        ],
      },
      actions: [
        { type: 'add_tag', params: { tag: 'routed' } },
        { type: 'remove_tag', params: { tag: 'vip' }, delayMinutes: 60 },
      ],
    });
    const res = await t.http
      .post(`/api/v1/automations/${automation.id}/test`)
      .set(a.auth)
      .send({ event: { type: 'contact.created', contactId: contact, data: { source: 'api' } } })
      .expect(200);
    expect(res.body).toMatchObject({ triggerMatched: true, conditionsMatched: true, wouldRun: true });
    expect(res.body.conditions.all[0]).toEqual({ field: 'tags', op: 'contains', value: 'vip', actual: ['vip'], matched: true });
    expect(res.body.conditions.any.map((c: { matched: boolean }) => c.matched)).toEqual([false, true]);
    expect(res.body.actions).toEqual([
      { index: 0, type: 'add_tag', params: { tag: 'routed' }, delayMinutes: 0, wouldDo: `add the tag "routed" to contact ${contact}` },
      { index: 1, type: 'remove_tag', params: { tag: 'vip' }, delayMinutes: 60, wouldDo: `remove the tag "vip" from contact ${contact}` },
    ]);
    const other = await t.http
      .post(`/api/v1/automations/${automation.id}/test`)
      .set(a.auth)
      .send({ event: { type: 'contact.updated', data: { source: 'csv' } } })
      .expect(200);
    expect(other.body).toMatchObject({ triggerMatched: false, conditionsMatched: false, wouldRun: false });
    expect(other.body.actions[0].wouldDo).toBe('nothing: the event concerns no contact');
    // Nothing was done.
    expect((await t.http.get(`/api/v1/contacts/${contact}`).set(a.auth).expect(200)).body).toMatchObject({ tags: ['vip'], version: 1 });
    await t.http
      .post(`/api/v1/automations/${automation.id}/test`)
      .set(a.auth)
      .send({ event: { type: 'x', contactId: 'nope' } })
      .expect(400);
    await t.http.post(`/api/v1/automations/${automation.id}/test`).set(a.auth).send({}).expect(400);
  });
});
