import { randomUUID } from 'node:crypto';
import { Tenant, registerTenant } from '../support/test-app';
import { Json, contactsSuite, expectProblem, stateOf } from './contacts-helpers';

describe('contacts', () => {
  const { suite, create, listIds, defineField } = contactsSuite();
  let http: typeof suite.http;
  beforeAll(() => {
    http = suite.http;
  });

  describe('create, read, update, delete, restore', () => {
    let a: Tenant;
    beforeAll(async () => (a = await registerTenant(http, 'crud')));

    it('serves the whole lifecycle with versions and ETags', async () => {
      const created = await http
        .post('/api/v1/contacts')
        .set(a.auth)
        .send({
          name: '  Grace Hopper ',
          email: ' Grace@Navy.MIL ',
          phone: '+1 (415) 555-2671',
          externalId: 'ext-1',
          sourceChannel: 'whatsapp',
          language: 'en',
          timezone: 'America/New_York',
          tags: ['navy', 'vip', 'navy', ' '],
          profilePictureUrl: 'https://example.com/g.png',
        });
      expect(created.status).toBe(201);
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        name: 'Grace Hopper',
        email: 'grace@navy.mil',
        phone: '+14155552671',
        externalId: 'ext-1',
        sourceChannel: 'whatsapp',
        language: 'en',
        timezone: 'America/New_York',
        tags: ['navy', 'vip'],
        customFields: {},
        profilePictureUrl: 'https://example.com/g.png',
        firstTouch: null,
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        deletedAt: null,
      });
      const id = created.body.id;

      const got = await http.get(`/api/v1/contacts/${id}`).set(a.auth);
      expect(got.status).toBe(200);
      expect(got.headers.etag).toBe('"1"');
      expect(got.body).toEqual(created.body);

      const patched = await http.patch(`/api/v1/contacts/${id}`).set(a.auth).send({ name: 'Rear Admiral Hopper' });
      expect(patched.status).toBe(200);
      expect(patched.headers.etag).toBe('"2"');
      expect(patched.body).toEqual({ ...created.body, name: 'Rear Admiral Hopper', version: 2, updatedAt: expect.any(String) });
      expect(Date.parse(patched.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));

      const deleted = await http.delete(`/api/v1/contacts/${id}`).set(a.auth);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expectProblem(await http.get(`/api/v1/contacts/${id}`).set(a.auth), 404, 'contact.not_found');
      expectProblem(await http.patch(`/api/v1/contacts/${id}`).set(a.auth).send({ name: 'ghost' }), 404);
      expectProblem(await http.delete(`/api/v1/contacts/${id}`).set(a.auth), 404);
      expect(await listIds(a)).not.toContain(id);
      const trash = await http.get('/api/v1/contacts').set(a.auth).query({ deleted: true });
      expect(trash.body.data).toEqual([
        expect.objectContaining({ id, version: 3, deletedAt: expect.any(String), name: 'Rear Admiral Hopper' }),
      ]);

      const restored = await http.post(`/api/v1/contacts/${id}/restore`).set(a.auth);
      expect(restored.status).toBe(200);
      expect(restored.headers.etag).toBe('"4"');
      expect(restored.body).toMatchObject({ id, name: 'Rear Admiral Hopper', version: 4, deletedAt: null });
      expect((await http.get(`/api/v1/contacts/${id}`).set(a.auth)).status).toBe(200);
      expect(await listIds(a)).toContain(id);
      expect(await listIds(a, { deleted: true })).not.toContain(id);
      expectProblem(await http.post(`/api/v1/contacts/${id}/restore`).set(a.auth), 404);
      expectProblem(await http.post(`/api/v1/contacts/${randomUUID()}/restore`).set(a.auth), 404);
    });

    it('needs a name, an email, a phone or an external id', async () => {
      expectProblem(await http.post('/api/v1/contacts').set(a.auth).send({}), 400, 'contact.identity_required');
      expectProblem(
        await http
          .post('/api/v1/contacts')
          .set(a.auth)
          .send({ name: '   ', tags: ['x'] }),
        400,
        'contact.identity_required',
      );
      expect((await http.post('/api/v1/contacts').set(a.auth).send({ externalId: 'only-external' })).status).toBe(201);
    });

    it("hides one tenant's contacts from another: every route answers 404", async () => {
      const b = await registerTenant(http, 'crud-other');
      const c = await create(a, { name: 'Private', email: `private-${randomUUID()}@example.com` });
      const routes = [
        http.get(`/api/v1/contacts/${c.id}`).set(b.auth),
        http.patch(`/api/v1/contacts/${c.id}`).set(b.auth).send({ name: 'Taken' }),
        http.delete(`/api/v1/contacts/${c.id}`).set(b.auth),
        http.post(`/api/v1/contacts/${c.id}/restore`).set(b.auth),
        http.get(`/api/v1/contacts/${c.id}/timeline`).set(b.auth),
        http.get(`/api/v1/contacts/${c.id}/versions/1`).set(b.auth),
      ];
      for (const res of await Promise.all(routes)) expectProblem(res, 404);
      expect(await listIds(b)).not.toContain(c.id);
      expect(await listIds(b, { deleted: true })).not.toContain(c.id);
      const still = await http.get(`/api/v1/contacts/${c.id}`).set(a.auth);
      expect(still.body).toMatchObject({ name: 'Private', version: 1, deletedAt: null });
    });
  });

  describe('ETag and If-Match', () => {
    let a: Tenant;
    beforeAll(async () => (a = await registerTenant(http, 'etag')));

    it('answers 412 to a stale If-Match and 409 to a stale body version, changing nothing', async () => {
      const c = await create(a, { name: 'v1' });
      const ok = await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).set('If-Match', '"1"').send({ name: 'v2' });
      expect(ok.status).toBe(200);
      expect(ok.headers.etag).toBe('"2"');

      expectProblem(
        await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).set('If-Match', '"1"').send({ name: 'stale' }),
        412,
        'precondition_failed',
      );
      expectProblem(await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).set('If-Match', '"3"').send({ name: 'future' }), 412);
      expectProblem(await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).send({ name: 'stale', version: 1 }), 409, 'version_conflict');
      expectProblem(await http.delete(`/api/v1/contacts/${c.id}`).set(a.auth).set('If-Match', '"1"'), 412);
      const current = await http.get(`/api/v1/contacts/${c.id}`).set(a.auth);
      expect(current.body).toMatchObject({ name: 'v2', version: 2, deletedAt: null });

      expect((await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).send({ name: 'v3', version: 2 })).status).toBe(200);
      expect((await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).set('If-Match', 'W/"3"').send({ name: 'v4' })).status).toBe(200);
      expect((await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).set('If-Match', '*').send({ name: 'v5' })).status).toBe(200);
      for (const bad of ['3', '"three"', 'abc', '"-1"']) {
        expectProblem(
          await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).set('If-Match', bad).send({ name: 'x' }),
          400,
          'precondition.invalid_if_match',
        );
      }
      expect((await http.delete(`/api/v1/contacts/${c.id}`).set(a.auth).set('If-Match', '"5"')).status).toBe(204);
    });

    it('lets exactly one of several concurrent writers with the same If-Match win', async () => {
      const c = await create(a, { name: 'race' });
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          http
            .patch(`/api/v1/contacts/${c.id}`)
            .set(a.auth)
            .set('If-Match', '"1"')
            .send({ name: `writer ${i}` }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 412, 412, 412, 412, 412]);
      const winner = results.find((r) => r.status === 200)!;
      const final = await http.get(`/api/v1/contacts/${c.id}`).set(a.auth);
      expect(final.body).toMatchObject({ name: winner.body.name, version: 2 });
    });
  });

  describe('PATCH semantics and normalisation', () => {
    let a: Tenant;
    beforeAll(async () => {
      a = await registerTenant(http, 'patch');
      await defineField(a, 'plan', 'text');
      await defineField(a, 'seats', 'number');
      await defineField(a, 'vip', 'boolean');
      await defineField(a, 'renewal', 'date');
    });

    it('changes only the given fields; null clears one', async () => {
      const c = await create(a, {
        name: 'Ada',
        email: 'ada@example.com',
        phone: '+442071838750',
        language: 'en',
        timezone: 'Europe/London',
        tags: ['x'],
      });
      const res = await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).send({ language: null, timezone: 'Europe/Paris' });
      expect(res.status).toBe(200);
      expect(stateOf(res.body)).toEqual({ ...stateOf(c as Json), language: null, timezone: 'Europe/Paris', version: 2 });

      const cleared = await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).send({ email: null, phone: null, tags: null });
      expect(cleared.body).toMatchObject({ name: 'Ada', email: null, phone: null, tags: [], version: 3 });
      const tags = await http
        .patch(`/api/v1/contacts/${c.id}`)
        .set(a.auth)
        .send({ tags: ['b', ' a ', 'b'] });
      expect(tags.body.tags).toEqual(['a', 'b']);

      const unchanged = await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).send({});
      expect(unchanged.status).toBe(200);
      expect(unchanged.body.version).toBe(4);
      const same = await http
        .patch(`/api/v1/contacts/${c.id}`)
        .set(a.auth)
        .send({ name: ' Ada ', tags: ['a', 'b'] });
      expect(same.body.version).toBe(4);
      expect(same.headers.etag).toBe('"4"');

      expectProblem(await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).send({ name: null }), 400, 'contact.identity_required');
      expect((await http.get(`/api/v1/contacts/${c.id}`).set(a.auth)).body).toMatchObject({ name: 'Ada', version: 4 });
    });

    it('merges custom fields; a null value removes a key', async () => {
      const c = await create(a, { name: 'Custom', customFields: { plan: 'pro', seats: 3 } });
      expect(c.customFields).toEqual({ plan: 'pro', seats: 3 });
      const merged = await http
        .patch(`/api/v1/contacts/${c.id}`)
        .set(a.auth)
        .send({ customFields: { seats: 5, vip: true, renewal: '2030-01-31' } });
      expect(merged.status).toBe(200);
      expect(merged.body.customFields).toEqual({ plan: 'pro', seats: 5, vip: true, renewal: '2030-01-31' });
      const removed = await http
        .patch(`/api/v1/contacts/${c.id}`)
        .set(a.auth)
        .send({ customFields: { plan: null, vip: false } });
      expect(removed.body.customFields).toEqual({ seats: 5, vip: false, renewal: '2030-01-31' });
      const kept = await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).send({ name: 'Renamed' });
      expect(kept.body.customFields).toEqual({ seats: 5, vip: false, renewal: '2030-01-31' });
    });

    it('rejects undefined custom fields and values of the wrong type with 400', async () => {
      const c = await create(a, { name: 'Typed' });
      const bad: Json[] = [
        { undefinedKey: 'x' },
        { plan: 42 },
        { seats: '10' },
        { seats: 'NaN' },
        { vip: 'true' },
        { renewal: 'tomorrow' },
        { renewal: 20300131 },
        { plan: { nested: true } },
        { plan: ['a'] },
      ];
      for (const customFields of bad) {
        expectProblem(
          await http.post('/api/v1/contacts').set(a.auth).send({ name: 'x', customFields }),
          400,
          'contact.invalid_custom_fields',
        );
        expectProblem(
          await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).send({ customFields }),
          400,
          'contact.invalid_custom_fields',
        );
      }
      expect((await http.get(`/api/v1/contacts/${c.id}`).set(a.auth)).body).toMatchObject({ customFields: {}, version: 1 });
      // Another tenant's definitions do not count.
      const b = await registerTenant(http, 'patch-other');
      expectProblem(
        await http
          .post('/api/v1/contacts')
          .set(b.auth)
          .send({ name: 'x', customFields: { plan: 'pro' } }),
        400,
        'contact.invalid_custom_fields',
      );
    });

    it('validates emails and stores them trimmed and lower-cased', async () => {
      const c = await create(a, { email: ' MiXeD.Case+Tag@Example.COM ' });
      expect(c.email).toBe('mixed.case+tag@example.com');
      for (const email of ['not-an-email', 'a@b', 'two@@example.com', 'spa ce@example.com', 'no-domain@', '@example.com']) {
        expectProblem(await http.post('/api/v1/contacts').set(a.auth).send({ email }), 400, 'contact.invalid_email');
      }
      expectProblem(await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).send({ email: 'broken@' }), 400, 'contact.invalid_email');
      const patched = await http.patch(`/api/v1/contacts/${c.id}`).set(a.auth).send({ email: 'NEW@Example.com' });
      expect(patched.body.email).toBe('new@example.com');
    });

    it('normalises phones to E.164 and rejects invalid ones', async () => {
      const cases: [string, string][] = [
        ['+1 415-555-2671', '+14155552671'],
        ['+55 11 98765-4321', '+5511987654321'],
        ['+44 (0)20 7183 8750', '+442071838750'],
      ];
      for (const [input, e164] of cases) expect((await create(a, { phone: input })).phone).toBe(e164);
      for (const phone of ['12345', 'phone', '+1 000 000 0000', '4155552671', '+123', '+999 555 0100']) {
        expectProblem(await http.post('/api/v1/contacts').set(a.auth).send({ name: 'x', phone }), 400, 'contact.invalid_phone');
      }
      // An extension would be dropped by E.164: refuse it rather than lose it silently.
      expectProblem(
        await http.post('/api/v1/contacts').set(a.auth).send({ name: 'x', phone: '+1 415 555 2671 ext. 12' }),
        400,
        'contact.phone_extension',
      );
    });
  });

  describe('uniqueness', () => {
    it('rejects duplicates of email, phone and external id within a project, in any spelling', async () => {
      const a = await registerTenant(http, 'dup');
      const first = await create(a, { name: 'First', email: 'dup@example.com', phone: '+14155552671', externalId: 'X-1' });
      expectProblem(await http.post('/api/v1/contacts').set(a.auth).send({ email: 'DUP@example.com ' }), 409, 'contact.duplicate_email');
      expectProblem(await http.post('/api/v1/contacts').set(a.auth).send({ phone: '+1 (415) 555 2671' }), 409, 'contact.duplicate_phone');
      expectProblem(await http.post('/api/v1/contacts').set(a.auth).send({ externalId: 'X-1' }), 409, 'contact.duplicate_external_id');
      expect((await create(a, { externalId: 'x-1' })).externalId).toBe('x-1');
      const second = await create(a, { name: 'Second' });
      expectProblem(
        await http.patch(`/api/v1/contacts/${second.id}`).set(a.auth).send({ email: 'Dup@Example.com' }),
        409,
        'contact.duplicate_email',
      );
      expectProblem(
        await http.patch(`/api/v1/contacts/${second.id}`).set(a.auth).send({ phone: '+14155552671' }),
        409,
        'contact.duplicate_phone',
      );
      expect((await http.get(`/api/v1/contacts/${second.id}`).set(a.auth)).body).toMatchObject({ email: null, phone: null, version: 1 });
      expect(await listIds(a, { q: 'dup@example.com' })).toEqual([first.id]);
    });

    it('allows the same values in another tenant and in another project of the same tenant', async () => {
      const a = await registerTenant(http, 'dup-a');
      const b = await registerTenant(http, 'dup-b');
      const same = { name: 'Same', email: 'same@example.com', phone: '+442071838750', externalId: 'S-1' };
      await create(a, same);
      const inB = await create(b, same);
      expect(inB).toMatchObject({ email: 'same@example.com', phone: '+442071838750', externalId: 'S-1' });

      const project = await http.post('/api/v1/projects').set(a.auth).send({ name: 'Second project' });
      expect(project.status).toBe(201);
      const login = await http.post('/api/v1/auth/login').send({ email: a.email, password: a.password });
      const inProject2 = await http
        .post('/api/v1/contacts')
        .set({ Authorization: `Bearer ${login.body.accessToken}`, 'X-Project-Id': project.body.id })
        .send(same);
      expect(inProject2.status).toBe(201);
      // ...and project 2's contact is not visible through project 1's key.
      expectProblem(await http.get(`/api/v1/contacts/${inProject2.body.id}`).set(a.auth), 404);
    });

    it('frees the values of a deleted contact, and a restore that would collide answers 409', async () => {
      const a = await registerTenant(http, 'dup-deleted');
      const old = await create(a, { name: 'Old', email: 'reuse@example.com', phone: '+5511987654321' });
      expect((await http.delete(`/api/v1/contacts/${old.id}`).set(a.auth)).status).toBe(204);
      const replacement = await create(a, { name: 'New', email: 'reuse@example.com' });
      expect(replacement.email).toBe('reuse@example.com');

      expectProblem(await http.post(`/api/v1/contacts/${old.id}/restore`).set(a.auth), 409, 'contact.duplicate_email');
      expectProblem(await http.get(`/api/v1/contacts/${old.id}`).set(a.auth), 404);
      expect(await listIds(a, { deleted: true })).toEqual([old.id]);

      // Once the email is free again, the restore goes through.
      expect((await http.patch(`/api/v1/contacts/${replacement.id}`).set(a.auth).send({ email: 'other@example.com' })).status).toBe(200);
      const restored = await http.post(`/api/v1/contacts/${old.id}/restore`).set(a.auth);
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ email: 'reuse@example.com', phone: '+5511987654321', deletedAt: null, version: 3 });
    });
  });
});
