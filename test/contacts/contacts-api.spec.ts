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
      customFields: {},
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

  describe('by identity (a WhatsApp LID)', () => {
    const lid = (n: number) => `${900000000000000 + n}@lid`;
    const byIdentity = (tenant: Tenant, value: string, extra: { name?: string; phone?: string } = {}) =>
      as(tenant, () => api.findOrCreateByIdentity({ projectId: tenant.projectId, kind: 'whatsapp_lid', value, ...extra }));
    const identitiesOf = (tenant: Tenant, value: string) =>
      asTenant<{ contact_id: string }>(tenant, `SELECT contact_id FROM contact_identities WHERE value = $1`, [value]);

    it('makes one contact when callers race for one identity, or for its phone by either port', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, () => byIdentity(a, lid(1), { name: 'Racer' })));
      expect(new Set(results.map((r) => r.contactId)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);

      const phone = '+5511955550101';
      const mixed = await Promise.all([
        ...Array.from({ length: 3 }, () => byIdentity(a, lid(2), { phone })),
        ...Array.from({ length: 3 }, () => as(a, () => api.findOrCreateByPhone({ projectId: a.projectId, phone }))),
      ]);
      expect(new Set(mixed.map((r) => r.contactId)).size).toBe(1);
      expect(mixed.filter((r) => r.created)).toHaveLength(1);
      expect(await identitiesOf(a, lid(2))).toEqual([{ contact_id: mixed[0].contactId }]);
    });

    it('names a contact without a name or phone by its identity, and ignores a phone the contacts context refuses', async () => {
      const { contactId } = await byIdentity(a, lid(3), { phone: '+49 100 0000000' });
      expect(await as(a, () => api.getContact({ projectId: a.projectId, contactId }))).toMatchObject({ name: lid(3), phone: null });
    });

    it('moves the identity of a deleted contact to a new one', async () => {
      const first = await byIdentity(a, lid(4), { name: 'Gone' });
      await suite.http.delete(`/api/v1/contacts/${first.contactId}`).set(a.auth).expect(204);
      const second = await byIdentity(a, lid(4), { name: 'Back' });
      expect(second.created).toBe(true);
      expect(second.contactId).not.toBe(first.contactId);
      expect(await identitiesOf(a, lid(4))).toEqual([{ contact_id: second.contactId }]);
    });

    it('keeps tenants apart, and refuses a bad identity with contact.invalid_identity', async () => {
      const mine = await byIdentity(a, lid(5), { name: 'Mine' });
      const theirs = await byIdentity(b, lid(5), { name: 'Theirs' });
      expect(theirs.created).toBe(true);
      expect(theirs.contactId).not.toBe(mine.contactId);
      await expect(byIdentity(a, '')).rejects.toMatchObject({ code: 'contact.invalid_identity' });
      await expect(
        as(a, () => api.findOrCreateByIdentity({ projectId: a.projectId, kind: 'email' as 'whatsapp_lid', value: 'x@example.com' })),
      ).rejects.toMatchObject({ code: 'contact.invalid_identity' });
    });
  });

  it('records a first touch once: one contact.first_touch_recorded, never overwritten; a missing contact is not found', async () => {
    const c = await create(a, { name: 'Touched' });
    const first = { source: 'meta_ads', adId: '1', at: '2025-09-23T14:10:37.000Z' };
    await as(a, () => api.recordFirstTouch({ projectId: a.projectId, contactId: c.id, attribution: first }));
    await as(a, () =>
      api.recordFirstTouch({
        projectId: a.projectId,
        contactId: c.id,
        attribution: { source: 'meta_ads', adId: '2', at: '2025-09-24T00:00:00.000Z' },
      }),
    );
    const seen = await suite.http.get(`/api/v1/contacts/${c.id}`).set(a.auth).expect(200);
    expect(seen.body).toMatchObject({ firstTouch: first, version: 2 });
    expect((await outboxOf(a, c.id)).map((e) => [e.event_type, e.event_data])).toEqual([
      ['contact.created', expect.not.objectContaining({ firstTouch: expect.anything() })],
      ['contact.first_touch_recorded', { attribution: first }],
    ]);
    // the version history replays it
    const v2 = await suite.http.get(`/api/v1/contacts/${c.id}/versions/2`).set(a.auth).expect(200);
    expect(v2.body.firstTouch).toEqual(first);
    await expect(
      as(a, () => api.recordFirstTouch({ projectId: a.projectId, contactId: randomUUID(), attribution: first })),
    ).rejects.toMatchObject({ code: 'contact.not_found' });
  });

  it('needs a tenant context', async () => {
    await expect(api.getContact({ projectId: a.projectId, contactId: randomUUID() })).rejects.toThrow(/tenant context/);
  });
});
