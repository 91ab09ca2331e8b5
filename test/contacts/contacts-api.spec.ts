import { randomUUID } from 'node:crypto';
import { TransactionRunner } from '#persistence/transaction-runner';
import { CONTACTS_API, ContactsApi } from '../../src/contexts/contacts/contacts.api';
import { Tenant, registerTenant } from '../support/test-app';
import { contactsSuite } from './contacts-helpers';

/** The port other contexts call: real PostgreSQL, RLS from the caller's tenant context, events in the outbox. */
describe('ContactsApi', () => {
  const { suite, create, asTenant } = contactsSuite();
  let api: ContactsApi;
  let tx: TransactionRunner;
  let a: Tenant;
  let b: Tenant;
  beforeAll(async () => {
    api = suite.t.app.get<ContactsApi>(CONTACTS_API);
    tx = suite.t.app.get(TransactionRunner);
    a = await registerTenant(suite.http, 'api-a');
    b = await registerTenant(suite.http, 'api-b');
  });

  /** Runs `fn` as a caller in `tenant` would: inside its own transaction of that tenant. */
  const as = <T>(tenant: Tenant, fn: () => Promise<T>) => tx.runAsTenant(tenant.tenantId, fn);

  const outboxOf = (tenant: Tenant, contactId: string) =>
    asTenant<{ event_type: string; aggregate_version: number; event_data: Record<string, unknown> }>(
      tenant,
      `SELECT event_type, aggregate_version, event_data FROM outbox_events WHERE aggregate_id = $1 ORDER BY sequence`,
      [contactId],
    );

  it('finds or creates a contact by phone, once, raising contact.created', async () => {
    const first = await as(a, () => api.findOrCreateByPhone({ projectId: a.projectId, phone: '+1 415 555 2671', name: 'Caller' }));
    expect(first).toEqual({ contactId: expect.any(String), created: true });
    const again = await as(a, () => api.findOrCreateByPhone({ projectId: a.projectId, phone: '+14155552671' }));
    expect(again).toEqual({ contactId: first.contactId, created: false });

    const seen = await suite.http.get(`/api/v1/contacts/${first.contactId}`).set(a.auth).expect(200);
    expect(seen.body).toMatchObject({ name: 'Caller', phone: '+14155552671', version: 1 });
    const events = await outboxOf(a, first.contactId);
    expect(events).toEqual([
      expect.objectContaining({
        event_type: 'contact.created',
        aggregate_version: 1,
        event_data: expect.objectContaining({ phone: '+14155552671' }),
      }),
    ]);

    // Another tenant with the same phone gets a contact of its own: RLS comes from the caller's tenant.
    const other = await as(b, () => api.findOrCreateByPhone({ projectId: b.projectId, phone: '+14155552671' }));
    expect(other.created).toBe(true);
    expect(other.contactId).not.toBe(first.contactId);
  });

  it('makes one contact when callers race for the same phone', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => as(a, () => api.findOrCreateByPhone({ projectId: a.projectId, phone: '+44 20 7183 8750' }))),
    );
    expect(new Set(results.map((r) => r.contactId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('refuses an invalid phone with contact.invalid_phone', async () => {
    await expect(as(a, () => api.findOrCreateByPhone({ projectId: a.projectId, phone: '+49 100 0000000' }))).rejects.toMatchObject({
      code: 'contact.invalid_phone',
    });
  });

  it('joins the caller’s transaction: a rollback takes the new contact and its event with it', async () => {
    let created = '';
    await expect(
      as(a, async () => {
        created = (await api.findOrCreateByPhone({ projectId: a.projectId, phone: '+1 212 555 0199' })).contactId;
        throw new Error('caller failed');
      }),
    ).rejects.toThrow('caller failed');
    expect(await as(a, () => api.getContact({ projectId: a.projectId, contactId: created }))).toBeUndefined();
    expect(await outboxOf(a, created)).toEqual([]);
  });

  it('answers a summary of a live contact, and undefined for another tenant, a deleted or a missing one', async () => {
    const c = await create(a, { name: 'Summarised', email: 'sum@example.com', tags: ['b', 'a'], language: 'en', timezone: 'UTC' });
    expect(await as(a, () => api.getContact({ projectId: a.projectId, contactId: c.id }))).toEqual({
      contactId: c.id,
      name: 'Summarised',
      email: 'sum@example.com',
      phone: null,
      tags: ['a', 'b'],
      language: 'en',
      timezone: 'UTC',
    });
    expect(await as(b, () => api.getContact({ projectId: b.projectId, contactId: c.id }))).toBeUndefined();
    expect(await as(b, () => api.getContact({ projectId: a.projectId, contactId: c.id }))).toBeUndefined();
    expect(await as(a, () => api.getContact({ projectId: a.projectId, contactId: randomUUID() }))).toBeUndefined();
    expect(await as(a, () => api.getContact({ projectId: a.projectId, contactId: 'not-a-uuid' }))).toBeUndefined();
    await suite.http.delete(`/api/v1/contacts/${c.id}`).set(a.auth).expect(204);
    expect(await as(a, () => api.getContact({ projectId: a.projectId, contactId: c.id }))).toBeUndefined();
  });

  it('adds tags through the aggregate: one contact.updated with the new tags, none when nothing is new', async () => {
    const c = await create(a, { name: 'Tagged', tags: ['vip'] });
    await as(a, () => api.addTags({ projectId: a.projectId, contactId: c.id, tags: ['whatsapp', 'vip', ' lead '] }));
    await as(a, () => api.addTags({ projectId: a.projectId, contactId: c.id, tags: ['lead'] }));
    const seen = await suite.http.get(`/api/v1/contacts/${c.id}`).set(a.auth).expect(200);
    expect(seen.body).toMatchObject({ tags: ['lead', 'vip', 'whatsapp'], version: 2 });
    expect((await outboxOf(a, c.id)).map((e) => [e.event_type, e.aggregate_version, e.event_data])).toEqual([
      ['contact.created', 1, expect.objectContaining({ tags: ['vip'] })],
      ['contact.updated', 2, { changes: { tags: ['lead', 'vip', 'whatsapp'] } }],
    ]);
    // Another tenant cannot tag it: not found, and nothing changes.
    await expect(as(b, () => api.addTags({ projectId: a.projectId, contactId: c.id, tags: ['x'] }))).rejects.toMatchObject({
      code: 'contact.not_found',
    });
    expect((await suite.http.get(`/api/v1/contacts/${c.id}`).set(a.auth)).body.version).toBe(2);
  });

  it('needs a tenant context', async () => {
    await expect(api.getContact({ projectId: a.projectId, contactId: randomUUID() })).rejects.toThrow(/tenant context/);
  });
});
