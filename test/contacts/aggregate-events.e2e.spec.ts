import { randomUUID } from 'node:crypto';
import { Tenant, registerTenant } from '../support/test-app';
import { contactsSuite, expectProblem } from './contacts-helpers';

interface OutboxRow {
  event_type: string;
  event_version: number;
  aggregate_version: number;
  event_data: Record<string, unknown>;
}

/** Custom fields and list membership: every event raised by its aggregate, at the version its save gave it. */
describe('contacts: events of custom fields and lists', () => {
  const { suite, create, asTenant } = contactsSuite();
  let a: Tenant;
  beforeAll(async () => {
    a = await registerTenant(suite.http, 'aggregate-events');
  });

  const eventsOf = (id: string) =>
    asTenant<OutboxRow>(
      a,
      `SELECT event_type, event_version, aggregate_version, event_data FROM outbox_events WHERE aggregate_id = $1 ORDER BY sequence`,
      [id],
    );

  it('versions a custom field like any aggregate: defined, relabeled, deleted, with If-Match', async () => {
    const defined = await suite.http.post('/api/v1/contact-custom-fields').set(a.auth).send({ key: 'tier', label: ' Tier ', type: 'text' });
    expect(defined.status).toBe(201);
    expect(defined.headers.etag).toBe('"1"');
    expect(defined.body).toEqual({
      id: expect.any(String),
      key: 'tier',
      label: 'Tier',
      type: 'text',
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = defined.body.id;
    const relabeled = await suite.http
      .patch(`/api/v1/contact-custom-fields/${id}`)
      .set(a.auth)
      .set('If-Match', '"1"')
      .send({ label: 'Level' });
    expect(relabeled.status).toBe(200);
    expect(relabeled.headers.etag).toBe('"2"');
    expect(relabeled.body).toMatchObject({ id, key: 'tier', label: 'Level', version: 2, createdAt: defined.body.createdAt });
    expectProblem(
      await suite.http.patch(`/api/v1/contact-custom-fields/${id}`).set(a.auth).set('If-Match', '"1"').send({ label: 'Stale' }),
      412,
    );
    expectProblem(await suite.http.patch(`/api/v1/contact-custom-fields/${id}`).set(a.auth).send({ label: 'Stale', version: 1 }), 409);
    expectProblem(await suite.http.delete(`/api/v1/contact-custom-fields/${id}`).set(a.auth).set('If-Match', '"1"'), 412);
    expect((await suite.http.delete(`/api/v1/contact-custom-fields/${id}`).set(a.auth).set('If-Match', '"2"')).status).toBe(204);
    expectProblem(
      await suite.http.patch(`/api/v1/contact-custom-fields/${id}`).set(a.auth).send({ label: 'Gone' }),
      404,
      'custom_field.not_found',
    );

    expect(await eventsOf(id)).toEqual([
      {
        event_type: 'contact_custom_field.defined',
        event_version: 1,
        aggregate_version: 1,
        event_data: { key: 'tier', label: 'Tier', type: 'text' },
      },
      { event_type: 'contact_custom_field.relabeled', event_version: 1, aggregate_version: 2, event_data: { key: 'tier', label: 'Level' } },
      { event_type: 'contact_custom_field.deleted', event_version: 1, aggregate_version: 3, event_data: { key: 'tier' } },
    ]);
    // The key is free again.
    expect(
      (await suite.http.post('/api/v1/contact-custom-fields').set(a.auth).send({ key: 'tier', label: 'Tier', type: 'number' })).status,
    ).toBe(201);
  });

  it("hides one tenant's custom fields from another", async () => {
    const b = await registerTenant(suite.http, 'aggregate-events-b');
    const field = (
      await suite.http
        .post('/api/v1/contact-custom-fields')
        .set(a.auth)
        .send({ key: `k${Date.now()}`, label: 'K', type: 'text' })
    ).body;
    expect((await suite.http.get('/api/v1/contact-custom-fields').set(b.auth)).body.data).toEqual([]);
    expectProblem(await suite.http.patch(`/api/v1/contact-custom-fields/${field.id}`).set(b.auth).send({ label: 'Mine now' }), 404);
    expectProblem(await suite.http.delete(`/api/v1/contact-custom-fields/${field.id}`).set(b.auth), 404);
    expect((await suite.http.get('/api/v1/contact-custom-fields').set(a.auth)).body.data).toContainEqual(
      expect.objectContaining({ id: field.id, label: 'K', version: 1 }),
    );
  });

  it('moves a list to its next version with each membership change, one event per contact', async () => {
    const list = (
      await suite.http
        .post('/api/v1/contact-lists')
        .set(a.auth)
        .send({ name: `Events ${randomUUID()}` })
    ).body;
    const [c1, c2] = [await create(a, { name: 'One' }), await create(a, { name: 'Two' })];
    await suite.http
      .post(`/api/v1/contact-lists/${list.id}/contacts`)
      .set(a.auth)
      .send({ contactIds: [c1.id, c2.id] })
      .expect(200);
    const afterAdd = await suite.http.get(`/api/v1/contact-lists/${list.id}`).set(a.auth);
    expect(afterAdd.headers.etag).toBe('"2"');
    await suite.http
      .post(`/api/v1/contact-lists/${list.id}/contacts`)
      .set(a.auth)
      .send({ contactIds: [c1.id] })
      .expect(200, { changed: [] });
    expect((await suite.http.get(`/api/v1/contact-lists/${list.id}`).set(a.auth)).body.version).toBe(2);
    await suite.http
      .post(`/api/v1/contact-lists/${list.id}/contacts/remove`)
      .set(a.auth)
      .send({ contactIds: [c2.id] })
      .expect(200, { changed: [c2.id] });

    const events = (await eventsOf(list.id)).map((e) => [e.event_type, e.aggregate_version, e.event_data]);
    expect(events).toEqual([
      ['contact_list.created', 1, { name: list.name, description: null }],
      ['contact_list.contact_added', 2, { contactId: c1.id }],
      ['contact_list.contact_added', 2, { contactId: c2.id }],
      ['contact_list.contact_removed', 3, { contactId: c2.id }],
    ]);
    // A stale If-Match after a membership change is stale indeed.
    expectProblem(
      await suite.http.patch(`/api/v1/contact-lists/${list.id}`).set(a.auth).set('If-Match', '"1"').send({ name: 'Renamed' }),
      412,
    );
  });

  it('lets concurrent membership changes of one list all succeed, one version each', async () => {
    const list = (
      await suite.http
        .post('/api/v1/contact-lists')
        .set(a.auth)
        .send({ name: `Busy ${randomUUID()}` })
    ).body;
    const contacts = await Promise.all(Array.from({ length: 6 }, (_, i) => create(a, { name: `Busy ${i}` })));
    const results = await Promise.all(
      contacts.map((c) =>
        suite.http
          .post(`/api/v1/contact-lists/${list.id}/contacts`)
          .set(a.auth)
          .send({ contactIds: [c.id] }),
      ),
    );
    expect(results.map((r) => [r.status, r.body.changed])).toEqual(contacts.map((c) => [200, [c.id]]));
    const after = (await suite.http.get(`/api/v1/contact-lists/${list.id}`).set(a.auth)).body;
    expect(after).toMatchObject({ contactCount: 6, version: 7 });
  });
});
