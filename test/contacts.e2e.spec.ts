import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { Tenant, TestApp, eventually, registerTenant, startTestApp } from './support/test-app';

type Json = Record<string, unknown>;
interface ContactView {
  id: string;
  version: number;
  [field: string]: unknown;
}

/** An RFC 9457 problem+json of `status` (and `code`, when given), without internals. */
function expectProblem(res: Response, status: number, code?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String) }));
  if (code !== undefined) expect(res.body.code).toBe(code);
  expect(JSON.stringify(res.body)).not.toMatch(/node_modules|\.ts:\d+|QueryFailedError|duplicate key|violates|at \w+ \(/);
}

/** The fields a version of a contact is made of (not the timestamps of its row). */
function stateOf(view: Json): Json {
  const { createdAt: _c, updatedAt: _u, ...state } = view;
  return state;
}

describe('contacts', () => {
  let t: TestApp;
  let http: TestAgent;
  beforeAll(async () => {
    t = await startTestApp();
    http = t.http;
  });
  afterAll(() => t.close());

  async function create(tenant: Tenant, body: Json): Promise<ContactView> {
    const res = await http.post('/api/v1/contacts').set(tenant.auth).send(body);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    return res.body;
  }

  async function listIds(tenant: Tenant, query: Record<string, string | number | boolean> = {}): Promise<string[]> {
    const res = await http.get('/api/v1/contacts').set(tenant.auth).query(query);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
    return res.body.data.map((c: ContactView) => c.id);
  }

  async function defineField(tenant: Tenant, key: string, type: string): Promise<void> {
    const res = await http.post('/api/v1/contact-custom-fields').set(tenant.auth).send({ key, label: key.toUpperCase(), type });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201, body: { key, type } });
  }

  /** Runs SQL as the application role inside the tenant's transaction (RLS applies). */
  function asTenant<T>(tenant: Tenant, sql: string, params: unknown[]): Promise<T[]> {
    return t.dataSource.transaction(async (em) => {
      await em.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenant.tenantId]);
      return em.query(sql, params);
    });
  }

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

  describe('list and filters', () => {
    let a: Tenant;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      a = await registerTenant(http, 'filters');
      await defineField(a, 'plan', 'text');
      await defineField(a, 'seats', 'number');
      await defineField(a, 'active', 'boolean');
      await defineField(a, 'since', 'date');
      await defineField(a, 'code', 'text');
      const make = async (key: string, body: Json) => (ids[key] = (await create(a, body)).id);
      await make('alice', {
        name: 'Alice Smith',
        email: 'alice@example.com',
        phone: '+14155552671',
        tags: ['vip', 'b2b'],
        customFields: { plan: 'pro', seats: 10, active: true, since: '2024-01-15' },
      });
      await make('bob', {
        name: 'Bob 100% Real',
        email: 'bob@example.org',
        tags: ['b2b'],
        customFields: { plan: 'free', seats: 2, active: false, code: '10' },
      });
      await make('hundred', { name: '100 Real', tags: ['vip'], customFields: { code: 'ten' } });
      await make('carol', { name: 'Carol_x', email: 'carol@example.com', phone: '+442071838750' });
      await make('caroly', { name: 'Carolyx' });
      await make('gone', { name: 'Alice Gone', email: 'gone@example.com', tags: ['vip'], customFields: { plan: 'pro' } });
      expect((await http.delete(`/api/v1/contacts/${ids.gone}`).set(a.auth)).status).toBe(204);
    });

    const sorted = (keys: string[]) => keys.map((k) => ids[k]).sort();
    const expectList = async (query: Record<string, string | number | boolean>, keys: string[]) =>
      expect({ query, ids: (await listIds(a, query)).sort() }).toEqual({ query, ids: sorted(keys) });

    it('lists live contacts newest first; deleted ones only with ?deleted=true', async () => {
      expect(await listIds(a)).toEqual([ids.caroly, ids.carol, ids.hundred, ids.bob, ids.alice]);
      expect(await listIds(a, { deleted: true })).toEqual([ids.gone]);
      expect(await listIds(a, { deleted: false })).toHaveLength(5);
    });

    it('searches name, email and phone by substring, case-insensitively', async () => {
      await expectList({ q: 'alice' }, ['alice']);
      await expectList({ q: 'ALICE sm' }, ['alice']);
      await expectList({ q: 'example.org' }, ['bob']);
      await expectList({ q: '2071838' }, ['carol']);
      await expectList({ q: '+1415' }, ['alice']);
      await expectList({ q: 'carol' }, ['carol', 'caroly']);
      await expectList({ q: 'nobody-matches' }, []);
      await expectList({ q: 'alice', deleted: true }, ['gone']);
    });

    it('takes % and _ in q literally', async () => {
      await expectList({ q: '100%' }, ['bob']);
      await expectList({ q: '%' }, ['bob']);
      await expectList({ q: 'Carol_' }, ['carol']);
      await expectList({ q: '_' }, ['carol']);
      await expectList({ q: '\\' }, []);
      await expectList({ q: "'; DROP TABLE contacts; --" }, []);
    });

    it('filters by tag', async () => {
      await expectList({ tag: 'vip' }, ['alice', 'hundred']);
      await expectList({ tag: 'b2b' }, ['alice', 'bob']);
      await expectList({ tag: 'vi' }, []);
      await expectList({ tag: 'vip', q: '100' }, ['hundred']);
      await expectList({ tag: 'vip', deleted: true }, ['gone']);
    });

    it('filters by a custom field value of its defined type', async () => {
      await expectList({ customField: 'plan:pro' }, ['alice']);
      await expectList({ customField: 'plan:free' }, ['bob']);
      await expectList({ customField: 'plan:enterprise' }, []);
      await expectList({ customField: 'seats:10' }, ['alice']);
      await expectList({ customField: 'seats:2' }, ['bob']);
      await expectList({ customField: 'active:true' }, ['alice']);
      await expectList({ customField: 'active:false' }, ['bob']);
      await expectList({ customField: 'since:2024-01-15' }, ['alice']);
      // A text field holding digits matches the text, not a number.
      await expectList({ customField: 'code:10' }, ['bob']);
      await expectList({ customField: 'code:ten' }, ['hundred']);
      await expectList({ customField: 'plan:pro:x' }, []);
      await expectList({ customField: 'plan:pro', tag: 'b2b' }, ['alice']);
      await expectList({ customField: 'plan:pro', deleted: true }, ['gone']);
    });

    it('rejects a filter on an undefined custom field or with a value of the wrong type', async () => {
      for (const customField of ['undefinedKey:x', 'Plan:pro', 'seats:ten', 'seats:', 'active:yes', 'since:someday']) {
        const res = await http.get('/api/v1/contacts').set(a.auth).query({ customField });
        expect({ customField, status: res.status }).toEqual({ customField, status: 400 });
        expectProblem(res, 400);
      }
      for (const customField of ['noseparator', ':novalue', '1key:x', 'plan']) {
        expectProblem(await http.get('/api/v1/contacts').set(a.auth).query({ customField }), 400);
      }
    });
  });

  describe('keyset pagination', () => {
    it('pages 7 contacts by 3 as 3, 3, 1 without duplicates or gaps', async () => {
      const a = await registerTenant(http, 'pages');
      const created: string[] = [];
      for (let i = 0; i < 7; i++) created.push((await create(a, { name: `Page ${i}` })).id);
      const newestFirst = [...created].reverse();

      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string | number> = { limit: 3 };
        if (cursor) query.cursor = cursor;
        const res = await http.get('/api/v1/contacts').set(a.auth).query(query);
        expect(res.status).toBe(200);
        pages.push(res.body.data.map((c: ContactView) => c.id));
        cursor = res.body.nextCursor;
        expect(pages.length).toBeLessThanOrEqual(3);
      } while (cursor);
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(newestFirst);

      const all = await http.get('/api/v1/contacts').set(a.auth);
      expect(all.body.nextCursor).toBeNull();
      expect(all.body.data.map((c: ContactView) => c.id)).toEqual(newestFirst);
      const exact = await http.get('/api/v1/contacts').set(a.auth).query({ limit: 7 });
      expect(exact.body.nextCursor).toBeNull();
      const one = await http.get('/api/v1/contacts').set(a.auth).query({ limit: 1 });
      expect(one.body.data.map((c: ContactView) => c.id)).toEqual([newestFirst[0]]);
      expect(typeof one.body.nextCursor).toBe('string');

      // A contact deleted between two pages does not shift the next page.
      const first = await http.get('/api/v1/contacts').set(a.auth).query({ limit: 3 });
      expect((await http.delete(`/api/v1/contacts/${newestFirst[1]}`).set(a.auth)).status).toBe(204);
      const second = await http.get('/api/v1/contacts').set(a.auth).query({ limit: 3, cursor: first.body.nextCursor });
      expect(second.body.data.map((c: ContactView) => c.id)).toEqual(newestFirst.slice(3, 6));
    });

    it('rejects an invalid cursor and a limit out of range with 400', async () => {
      const a = await registerTenant(http, 'pages-bad');
      for (const query of [
        { cursor: 'not-a-cursor' },
        { cursor: Buffer.from('not-a-uuid').toString('base64url') },
        { cursor: 'x'.repeat(5000) },
        { limit: 500 },
        { limit: 201 },
        { limit: 0 },
        { limit: -1 },
        { limit: 1.5 },
        { limit: 'ten' },
      ]) {
        const res = await http.get('/api/v1/contacts').set(a.auth).query(query);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expectProblem(res, 400);
      }
      expect((await http.get('/api/v1/contacts').set(a.auth).query({ limit: 200 })).status).toBe(200);
    });
  });

  describe('timeline', () => {
    it('shows created, updated, deleted and restored in order, filled by the outbox consumer', async () => {
      const a = await registerTenant(http, 'timeline');
      // Hold the relay so the four events reach the consumer in one batch.
      await t.relay.stop();
      let id: string;
      try {
        id = (await create(a, { name: 'Timeline' })).id;
        expect(
          (
            await http
              .patch(`/api/v1/contacts/${id}`)
              .set(a.auth)
              .send({ email: 'tl@example.com', tags: ['x'] })
          ).status,
        ).toBe(200);
        expect((await http.delete(`/api/v1/contacts/${id}`).set(a.auth)).status).toBe(204);
        expect((await http.post(`/api/v1/contacts/${id}/restore`).set(a.auth)).status).toBe(200);
        const early = await http.get(`/api/v1/contacts/${id}/timeline`).set(a.auth);
        expect(early.body).toEqual({ data: [], nextCursor: null });
      } finally {
        await t.relay.start();
      }
      const timeline = await eventually(async () => {
        const res = await http.get(`/api/v1/contacts/${id}/timeline`).set(a.auth);
        return res.body.data?.length === 4 ? res.body : undefined;
      });
      expect(timeline.nextCursor).toBeNull();
      expect(timeline.data.map((e: Json) => e.type)).toEqual(['contact.created', 'contact.updated', 'contact.deleted', 'contact.restored']);
      expect(timeline.data.map((e: Json) => e.title)).toEqual([
        'Contact created',
        expect.stringMatching(/^Contact updated: /),
        'Contact deleted',
        'Contact restored',
      ]);
      expect((timeline.data[1].title as string).replace('Contact updated: ', '').split(', ').sort()).toEqual(['email', 'tags']);
      expect(timeline.data[1].payload).toEqual({ changes: { email: 'tl@example.com', tags: ['x'] } });
      for (const entry of timeline.data) expect(entry).toMatchObject({ category: 'lifecycle', source: 'api', triggeredBy: a.userId });
      expect(new Set(timeline.data.map((e: Json) => e.eventId)).size).toBe(4);
      const times = timeline.data.map((e: Json) => Date.parse(e.occurredAt as string));
      expect([...times].sort((x, y) => x - y)).toEqual(times);

      const page = await http.get(`/api/v1/contacts/${id}/timeline`).set(a.auth).query({ limit: 3 });
      expect(page.body.data.map((e: Json) => e.type)).toEqual(['contact.created', 'contact.updated', 'contact.deleted']);
      const rest = await http.get(`/api/v1/contacts/${id}/timeline`).set(a.auth).query({ limit: 3, cursor: page.body.nextCursor });
      expect(rest.body).toEqual({ data: [timeline.data[3]], nextCursor: null });

      expectProblem(await http.get(`/api/v1/contacts/${randomUUID()}/timeline`).set(a.auth), 404);
      expectProblem(await http.get(`/api/v1/contacts/${id}/timeline`).set(a.auth).query({ cursor: 'garbage' }), 400);
    });

    it('also records list membership, and still shows the timeline of a deleted contact', async () => {
      const a = await registerTenant(http, 'timeline-lists');
      const c = await create(a, { name: 'Listed' });
      const list = await http.post('/api/v1/contact-lists').set(a.auth).send({ name: 'Newsletter' });
      expect(
        (
          await http
            .post(`/api/v1/contact-lists/${list.body.id}/contacts`)
            .set(a.auth)
            .send({ contactIds: [c.id] })
        ).status,
      ).toBe(200);
      expect(
        (
          await http
            .post(`/api/v1/contact-lists/${list.body.id}/contacts/remove`)
            .set(a.auth)
            .send({ contactIds: [c.id] })
        ).status,
      ).toBe(200);
      expect((await http.delete(`/api/v1/contacts/${c.id}`).set(a.auth)).status).toBe(204);
      const timeline = await eventually(async () => {
        const res = await http.get(`/api/v1/contacts/${c.id}/timeline`).set(a.auth);
        return res.body.data?.length === 4 ? res.body : undefined;
      });
      expect(timeline.data.map((e: Json) => [e.type, e.category])).toEqual([
        ['contact.created', 'lifecycle'],
        ['contact_list.contact_added', 'lists'],
        ['contact_list.contact_removed', 'lists'],
        ['contact.deleted', 'lifecycle'],
      ]);
      expect(timeline.data[1].payload).toMatchObject({ listId: list.body.id, contactId: c.id });
    });
  });

  describe('versions', () => {
    it('rebuilds every version, across snapshots, exactly as the writes returned it', async () => {
      const a = await registerTenant(http, 'versions');
      await defineField(a, 'plan', 'text');
      await defineField(a, 'score', 'number');
      const states: Json[] = [];
      const first = await create(a, { name: 'V', email: 'v1@example.com', tags: ['t1'], customFields: { plan: 'free' } });
      states.push(stateOf(first as Json));
      const id = first.id;
      const changes: Json[] = [
        { name: 'V two' },
        { email: 'V3@Example.com' },
        { phone: '+1 415 555 2671' },
        { tags: ['t2', 't1'] },
        { customFields: { score: 1 } },
        { customFields: { plan: 'pro', score: 2 } },
        { language: 'pt', timezone: 'America/Sao_Paulo' },
        { email: null },
        { customFields: { plan: null } },
        { sourceChannel: 'email', externalId: 'E-11' },
        { name: 'V twelve', tags: [] },
        { profilePictureUrl: 'https://example.com/v.png' },
        { customFields: { score: 13.5 }, phone: null },
      ];
      for (const change of changes) {
        const res = await http.patch(`/api/v1/contacts/${id}`).set(a.auth).send(change);
        expect({ change, status: res.status }).toEqual({ change, status: 200 });
        expect(res.body.version).toBe(states.length + 1);
        states.push(stateOf(res.body));
      }
      expect((await http.delete(`/api/v1/contacts/${id}`).set(a.auth)).status).toBe(204);
      const trash = await http.get('/api/v1/contacts').set(a.auth).query({ deleted: true });
      states.push(stateOf(trash.body.data[0]));
      const restored = await http.post(`/api/v1/contacts/${id}/restore`).set(a.auth);
      states.push(stateOf(restored.body));
      expect(states.map((s) => s.version)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
      expect(states[14].deletedAt).not.toBeNull();

      const fetchAll = async (from: number) => {
        for (let v = from; v <= states.length; v++) {
          const res = await http.get(`/api/v1/contacts/${id}/versions/${v}`).set(a.auth);
          expect({ v, status: res.status, state: stateOf(res.body) }).toEqual({ v, status: 200, state: states[v - 1] });
        }
      };
      await fetchAll(1);

      const snapshots = await asTenant<{ last_sequence_number: number }>(
        a,
        'SELECT last_sequence_number FROM contact_snapshots WHERE aggregate_id = $1 ORDER BY 1',
        [id],
      );
      expect(snapshots.map((s) => s.last_sequence_number)).toEqual([10]);
      // Versions from 10 on must come from the snapshot: the events it covers are not needed any more.
      // The application role may not delete from the event store (append-only): the owner removes them here.
      const owner = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
      await owner.connect();
      await owner.query('DELETE FROM contact_event_store WHERE aggregate_id = $1 AND sequence_number <= 10', [id]);
      await owner.end();
      await fetchAll(10);

      expectProblem(await http.get(`/api/v1/contacts/${id}/versions/17`).set(a.auth), 404);
      expectProblem(await http.get(`/api/v1/contacts/${id}/versions/99999999999`).set(a.auth), 404);
      expectProblem(await http.get(`/api/v1/contacts/${randomUUID()}/versions/1`).set(a.auth), 404);
      for (const bad of ['0', '-1', '-99999999999', 'one', '1.5', '2x']) {
        const res = await http.get(`/api/v1/contacts/${id}/versions/${bad}`).set(a.auth);
        expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
        expectProblem(res, 400);
      }
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response for the same key and body, and creates one contact', async () => {
      const a = await registerTenant(http, 'idem');
      const key = randomUUID();
      const body = { name: 'Once', email: 'once@example.com' };
      const first = await http.post('/api/v1/contacts').set(a.auth).set('Idempotency-Key', key).send(body);
      expect(first.status).toBe(201);
      const again = await http.post('/api/v1/contacts').set(a.auth).set('Idempotency-Key', key).send(body);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(await listIds(a)).toEqual([first.body.id]);

      const other = await http
        .post('/api/v1/contacts')
        .set(a.auth)
        .set('Idempotency-Key', key)
        .send({ ...body, name: 'Twice' });
      expectProblem(other, 422, 'idempotency.key_reused');
      const otherRoute = await http.post('/api/v1/contact-lists').set(a.auth).set('Idempotency-Key', key).send(body);
      expectProblem(otherRoute, 422);
      expect(await listIds(a)).toEqual([first.body.id]);

      // Without a key, the same body is a new request (and here a duplicate).
      expectProblem(await http.post('/api/v1/contacts').set(a.auth).send(body), 409);
    });

    it('lets concurrent retries with the same key create one contact', async () => {
      const a = await registerTenant(http, 'idem-race');
      const key = `race-${randomUUID()}`;
      const results = await Promise.all(
        Array.from({ length: 4 }, () => http.post('/api/v1/contacts').set(a.auth).set('Idempotency-Key', key).send({ name: 'Raced' })),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(await listIds(a)).toEqual([results[0].body.id]);
    });

    it('scopes keys by tenant and does not burn a key on a failed request', async () => {
      const a = await registerTenant(http, 'idem-a');
      const b = await registerTenant(http, 'idem-b');
      const key = 'shared-key-1';
      const inA = await http.post('/api/v1/contacts').set(a.auth).set('Idempotency-Key', key).send({ name: 'A' });
      const inB = await http.post('/api/v1/contacts').set(b.auth).set('Idempotency-Key', key).send({ name: 'A' });
      expect([inA.status, inB.status]).toEqual([201, 201]);
      expect(inA.body.id).not.toBe(inB.body.id);
      expect(inB.headers['idempotent-replayed']).toBeUndefined();
      expect(await listIds(b)).toEqual([inB.body.id]);

      const failing = await http
        .post('/api/v1/contacts')
        .set(a.auth)
        .set('Idempotency-Key', 'after-failure')
        .send({ name: 'x', email: 'bad' });
      expectProblem(failing, 400);
      const retried = await http
        .post('/api/v1/contacts')
        .set(a.auth)
        .set('Idempotency-Key', 'after-failure')
        .send({ name: 'x', email: 'good@example.com' });
      expect(retried.status).toBe(201);

      expectProblem(
        await http.post('/api/v1/contacts').set(a.auth).set('Idempotency-Key', 'k'.repeat(256)).send({ name: 'x' }),
        400,
        'idempotency.invalid_key',
      );
    });
  });

  describe('contact lists', () => {
    let a: Tenant;
    beforeAll(async () => (a = await registerTenant(http, 'lists')));

    it('creates, reads, renames with If-Match, deletes and restores a list', async () => {
      const created = await http.post('/api/v1/contact-lists').set(a.auth).send({ name: ' Customers ', description: 'All of them' });
      expect(created.status).toBe(201);
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'Customers',
        description: 'All of them',
        contactCount: 0,
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        deletedAt: null,
      });
      const id = created.body.id;
      expect((await http.get(`/api/v1/contact-lists/${id}`).set(a.auth)).body).toEqual(created.body);
      const listed = await http.get('/api/v1/contact-lists').set(a.auth);
      expect(listed.body.data.map((l: Json) => l.id)).toContain(id);

      expectProblem(await http.post('/api/v1/contact-lists').set(a.auth).send({ name: 'customers' }), 409, 'contact_list.duplicate_name');
      const renamed = await http
        .patch(`/api/v1/contact-lists/${id}`)
        .set(a.auth)
        .set('If-Match', '"1"')
        .send({ name: 'Clients', description: null });
      expect(renamed.status).toBe(200);
      expect(renamed.headers.etag).toBe('"2"');
      expect(renamed.body).toMatchObject({ name: 'Clients', description: null, version: 2 });
      expectProblem(await http.patch(`/api/v1/contact-lists/${id}`).set(a.auth).set('If-Match', '"1"').send({ name: 'Stale' }), 412);
      expectProblem(await http.patch(`/api/v1/contact-lists/${id}`).set(a.auth).send({ name: 'Stale', version: 1 }), 409);

      expect((await http.delete(`/api/v1/contact-lists/${id}`).set(a.auth)).status).toBe(204);
      expectProblem(await http.get(`/api/v1/contact-lists/${id}`).set(a.auth), 404);
      expectProblem(await http.get(`/api/v1/contact-lists/${id}/contacts`).set(a.auth), 404);
      expect((await http.get('/api/v1/contact-lists').set(a.auth)).body.data.map((l: Json) => l.id)).not.toContain(id);
      const restored = await http.post(`/api/v1/contact-lists/${id}/restore`).set(a.auth);
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ id, name: 'Clients', version: 4, deletedAt: null });
    });

    it('adds and removes members idempotently and lists the live ones', async () => {
      const list = (
        await http
          .post('/api/v1/contact-lists')
          .set(a.auth)
          .send({ name: `Members ${randomUUID()}` })
      ).body;
      const c1 = await create(a, { name: 'Member one' });
      const c2 = await create(a, { name: 'Member two' });
      const c3 = await create(a, { name: 'Member three' });

      const added = await http
        .post(`/api/v1/contact-lists/${list.id}/contacts`)
        .set(a.auth)
        .send({ contactIds: [c1.id, c2.id, c1.id] });
      expect(added.status).toBe(200);
      expect([...added.body.changed].sort()).toEqual([c1.id, c2.id].sort());
      const again = await http
        .post(`/api/v1/contact-lists/${list.id}/contacts`)
        .set(a.auth)
        .send({ contactIds: [c1.id] });
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ changed: [] });
      const more = await http
        .post(`/api/v1/contact-lists/${list.id}/contacts`)
        .set(a.auth)
        .send({ contactIds: [c2.id, c3.id] });
      expect(more.body).toEqual({ changed: [c3.id] });

      const members = await http.get(`/api/v1/contact-lists/${list.id}/contacts`).set(a.auth);
      expect(members.status).toBe(200);
      expect(members.body.data.map((c: ContactView) => c.id)).toEqual([c1.id, c2.id, c3.id]);
      expect(members.body.data[0]).toMatchObject({ name: 'Member one', version: 1 });
      expect((await http.get(`/api/v1/contact-lists/${list.id}`).set(a.auth)).body.contactCount).toBe(3);
      const paged = await http.get(`/api/v1/contact-lists/${list.id}/contacts`).set(a.auth).query({ limit: 2 });
      const page2 = await http
        .get(`/api/v1/contact-lists/${list.id}/contacts`)
        .set(a.auth)
        .query({ limit: 2, cursor: paged.body.nextCursor });
      expect([...paged.body.data, ...page2.body.data].map((c: ContactView) => c.id)).toEqual([c1.id, c2.id, c3.id]);
      expect(page2.body.nextCursor).toBeNull();

      const removed = await http
        .post(`/api/v1/contact-lists/${list.id}/contacts/remove`)
        .set(a.auth)
        .send({ contactIds: [c2.id] });
      expect(removed.body).toEqual({ changed: [c2.id] });
      const removedAgain = await http
        .post(`/api/v1/contact-lists/${list.id}/contacts/remove`)
        .set(a.auth)
        .send({ contactIds: [c2.id, randomUUID()] });
      expect(removedAgain.body).toEqual({ changed: [] });

      // A deleted contact leaves the list's live members and count, and comes back with its restore.
      expect((await http.delete(`/api/v1/contacts/${c3.id}`).set(a.auth)).status).toBe(204);
      expect((await http.get(`/api/v1/contact-lists/${list.id}/contacts`).set(a.auth)).body.data.map((c: ContactView) => c.id)).toEqual([
        c1.id,
      ]);
      expect((await http.get(`/api/v1/contact-lists/${list.id}`).set(a.auth)).body.contactCount).toBe(1);
      expectProblem(
        await http
          .post(`/api/v1/contact-lists/${list.id}/contacts`)
          .set(a.auth)
          .send({ contactIds: [c3.id] }),
        400,
        'contact_list.unknown_contacts',
      );
      expect((await http.post(`/api/v1/contacts/${c3.id}/restore`).set(a.auth)).status).toBe(200);
      expect((await http.get(`/api/v1/contact-lists/${list.id}/contacts`).set(a.auth)).body.data.map((c: ContactView) => c.id)).toEqual([
        c1.id,
        c3.id,
      ]);
    });

    it('answers a contact of another tenant exactly as a contact that does not exist, adding nothing', async () => {
      const b = await registerTenant(http, 'lists-other');
      const foreign = await create(b, { name: 'Foreign', email: 'foreign@example.com' });
      const mine = await create(a, { name: 'Mine' });
      const list = (
        await http
          .post('/api/v1/contact-lists')
          .set(a.auth)
          .send({ name: `Guarded ${randomUUID()}` })
      ).body;
      const missingId = randomUUID();

      const withForeign = await http
        .post(`/api/v1/contact-lists/${list.id}/contacts`)
        .set(a.auth)
        .send({ contactIds: [mine.id, foreign.id] });
      const withMissing = await http
        .post(`/api/v1/contact-lists/${list.id}/contacts`)
        .set(a.auth)
        .send({ contactIds: [mine.id, missingId] });
      expectProblem(withForeign, 400, 'contact_list.unknown_contacts');
      expectProblem(withMissing, 400, 'contact_list.unknown_contacts');
      const strip = (body: Json, id: string) =>
        JSON.parse(
          JSON.stringify({ ...body, instance: undefined })
            .split(id)
            .join('<id>'),
        );
      expect(strip(withForeign.body, foreign.id)).toEqual(strip(withMissing.body, missingId));
      expect(JSON.stringify(withForeign.body)).not.toMatch(/Foreign|foreign@example.com|tenant/i);
      expect((await http.get(`/api/v1/contact-lists/${list.id}/contacts`).set(a.auth)).body.data).toEqual([]);

      // The other tenant cannot touch this list either.
      expectProblem(await http.get(`/api/v1/contact-lists/${list.id}`).set(b.auth), 404);
      expectProblem(
        await http
          .post(`/api/v1/contact-lists/${list.id}/contacts`)
          .set(b.auth)
          .send({ contactIds: [foreign.id] }),
        404,
      );
      expectProblem(await http.get(`/api/v1/contact-lists/${list.id}/contacts`).set(b.auth), 404);
      expectProblem(await http.delete(`/api/v1/contact-lists/${list.id}`).set(b.auth), 404);
    });
  });

  describe('bad input never yields a 500', () => {
    let a: Tenant;
    let contactId: string;
    let listId: string;
    beforeAll(async () => {
      a = await registerTenant(http, 'bad-input');
      contactId = (await create(a, { name: 'Target' })).id;
      listId = (await http.post('/api/v1/contact-lists').set(a.auth).send({ name: 'Target list' })).body.id;
    });

    it('answers a body that is not JSON with 400 problem+json', async () => {
      for (const raw of ['{"name": ', '{name: "x"}', "{'name': 'x'}", '{"name": "x"}}', 'null', '"just a string"', '']) {
        const res = await http.post('/api/v1/contacts').set(a.auth).set('Content-Type', 'application/json').send(raw);
        expect({ raw, status: res.status }).toEqual({ raw, status: 400 });
        expectProblem(res, 400);
      }
      expectProblem(
        await http.post('/api/v1/contacts').set(a.auth).set('Content-Type', 'application/json').send('{"name": '),
        400,
        'malformed_json',
      );
      expectProblem(
        await http.patch(`/api/v1/contacts/${contactId}`).set(a.auth).set('Content-Type', 'application/json').send('{"name": "x",}'),
        400,
        'malformed_json',
      );
    });

    const bodies: [string, unknown][] = [
      ['a number as name', { name: 123 }],
      ['an object as email', { name: 'x', email: { $ne: null } }],
      ['a number as phone', { name: 'x', phone: 4155552671 }],
      ['a string as tags', { name: 'x', tags: 'vip' }],
      ['numbers in tags', { name: 'x', tags: [1, 2] }],
      ['too many tags', { name: 'x', tags: Array.from({ length: 101 }, (_, i) => `t${i}`) }],
      ['a huge tag', { name: 'x', tags: ['t'.repeat(65)] }],
      ['a string as customFields', { name: 'x', customFields: 'plan=pro' }],
      ['an array as customFields', { name: 'x', customFields: ['pro'] }],
      ['a huge name', { name: 'n'.repeat(100_000) }],
      ['a huge email', { email: `${'e'.repeat(300)}@example.com` }],
      ['a huge phone', { phone: '+1'.padEnd(41, '5') }],
      ['a huge external id', { externalId: 'x'.repeat(201) }],
      ['a boolean as url', { name: 'x', profilePictureUrl: true }],
      ['an unknown field', { name: 'x', tenantId: randomUUID() }],
      ['a version on create', { name: 'x', version: 1 }],
      ['an array body', [{ name: 'x' }]],
      ['a NUL character in the name', { name: 'a\u0000b' }],
      ['a NUL character in an email', { email: 'a\u0000@example.com' }],
      ['a NUL character in a tag', { name: 'x', tags: ['v\u0000ip'] }],
      ['a NUL character in a custom field key', { name: 'x', customFields: { 'a\u0000': 'x' } }],
      ['nested custom fields', { name: 'x', customFields: { deep: JSON.parse('['.repeat(100) + ']'.repeat(100)) } }],
    ];
    it.each(bodies)('POST /contacts with %s answers 400', async (_label, body) => {
      const res = await http
        .post('/api/v1/contacts')
        .set(a.auth)
        .send(body as object);
      expectProblem(res, 400);
    });

    it('answers a deeply nested body with 400 also with an Idempotency-Key, on every kind of route', async () => {
      // Sent as text: the test's own JSON.stringify could not serialise such a value.
      const deep = '['.repeat(20_000) + ']'.repeat(20_000);
      const deepObjects = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);
      const requests: [string, () => Promise<Response>][] = [
        [
          'POST contacts',
          () =>
            http
              .post('/api/v1/contacts')
              .set(a.auth)
              .set('Content-Type', 'application/json')
              .send(`{"name":"x","customFields":{"deep":${deep}}}`),
        ],
        [
          'POST contacts, objects',
          () =>
            http
              .post('/api/v1/contacts')
              .set(a.auth)
              .set('Content-Type', 'application/json')
              .send(`{"name":"x","customFields":${deepObjects}}`),
        ],
        [
          'POST contacts, key',
          () =>
            http
              .post('/api/v1/contacts')
              .set(a.auth)
              .set('Idempotency-Key', randomUUID())
              .set('Content-Type', 'application/json')
              .send(`{"name":"x","tags":${deep}}`),
        ],
        [
          'PATCH contact',
          () => http.patch(`/api/v1/contacts/${contactId}`).set(a.auth).set('Content-Type', 'application/json').send(`{"tags":${deep}}`),
        ],
        [
          'add members',
          () =>
            http
              .post(`/api/v1/contact-lists/${listId}/contacts`)
              .set(a.auth)
              .set('Content-Type', 'application/json')
              .send(`{"contactIds":${deep}}`),
        ],
        ['login', () => http.post('/api/v1/auth/login').set('Content-Type', 'application/json').send(`{"email":${deep},"password":"x"}`)],
      ];
      for (const [route, request] of requests) {
        const res = await request();
        expect({ route, status: res.status }).toEqual({ route, status: 400 });
        expectProblem(res, 400);
      }
      expect((await http.get(`/api/v1/contacts/${contactId}`).set(a.auth)).body).toMatchObject({ name: 'Target', tags: [] });
    });

    it('answers a text custom field value holding a NUL character with 400', async () => {
      await defineField(a, 'note', 'text');
      expectProblem(
        await http
          .post('/api/v1/contacts')
          .set(a.auth)
          .send({ name: 'x', customFields: { note: 'a\u0000b' } }),
        400,
      );
      expectProblem(
        await http
          .patch(`/api/v1/contacts/${contactId}`)
          .set(a.auth)
          .send({ customFields: { note: '\u0000' } }),
        400,
      );
    });

    it.each<[string, Json]>([
      ['a string version', { version: 'one' }],
      ['a zero version', { version: 0 }],
      ['a fractional version', { version: 1.5 }],
      ['a NUL character', { name: '\u0000' }],
      ['an unknown field', { deletedAt: null }],
    ])('PATCH /contacts/:id with %s answers 400', async (_label, body) => {
      expectProblem(await http.patch(`/api/v1/contacts/${contactId}`).set(a.auth).send(body), 400);
    });

    it('accepts null for a custom field that is no longer defined, removing its value', async () => {
      const field = (
        await http.post('/api/v1/contact-custom-fields').set(a.auth).send({ key: 'legacy', label: 'Legacy', type: 'text' }).expect(201)
      ).body;
      const c = (
        await http
          .post('/api/v1/contacts')
          .set(a.auth)
          .send({ name: 'Orphan', customFields: { legacy: 'old' } })
          .expect(201)
      ).body;
      await http.delete(`/api/v1/contact-custom-fields/${field.id}`).set(a.auth).expect(204);
      expectProblem(
        await http
          .patch(`/api/v1/contacts/${c.id}`)
          .set(a.auth)
          .send({ customFields: { legacy: 'new' } }),
        400,
      );
      const cleared = await http
        .patch(`/api/v1/contacts/${c.id}`)
        .set(a.auth)
        .send({ customFields: { legacy: null } })
        .expect(200);
      expect(cleared.body.customFields).toEqual({});
    });

    it('answers malformed ids with 400', async () => {
      const ids = ['not-a-uuid', '1', '00000000-0000-0000-0000-00000000000', `${randomUUID()}x`, encodeURIComponent("1' OR '1'='1"), '%FF'];
      for (const id of ids) {
        const requests: [string, () => Promise<Response>][] = [
          ['GET contact', () => http.get(`/api/v1/contacts/${id}`).set(a.auth)],
          ['PATCH contact', () => http.patch(`/api/v1/contacts/${id}`).set(a.auth).send({ name: 'x' })],
          ['DELETE contact', () => http.delete(`/api/v1/contacts/${id}`).set(a.auth)],
          ['restore contact', () => http.post(`/api/v1/contacts/${id}/restore`).set(a.auth)],
          ['timeline', () => http.get(`/api/v1/contacts/${id}/timeline`).set(a.auth)],
          ['version', () => http.get(`/api/v1/contacts/${id}/versions/1`).set(a.auth)],
          ['GET list', () => http.get(`/api/v1/contact-lists/${id}`).set(a.auth)],
          ['list members', () => http.get(`/api/v1/contact-lists/${id}/contacts`).set(a.auth)],
          ['custom field', () => http.patch(`/api/v1/contact-custom-fields/${id}`).set(a.auth).send({ label: 'x' })],
        ];
        for (const [route, request] of requests) {
          const res = await request();
          expect({ id, route, status: res.status }).toEqual({ id, route, status: 400 });
          expectProblem(res, 400);
        }
      }
    });

    it('answers bad query strings with 400', async () => {
      const queries: Record<string, unknown>[] = [
        { q: '' },
        { q: 'q'.repeat(201) },
        { q: ['a', 'b'] },
        { q: 'a\u0000b' },
        { tag: 'v\u0000' },
        { tag: 't'.repeat(65) },
        { customField: 'plan:\u0000' },
        { customField: `k:${'v'.repeat(201)}` },
        { unknown: 'x' },
        { limit: ['1', '2'] },
      ];
      for (const query of queries) {
        const res = await http.get('/api/v1/contacts').set(a.auth).query(query);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expectProblem(res, 400);
      }
    });

    it('answers bad list and custom field bodies with 400', async () => {
      const cases: [string, string, unknown][] = [
        ['post', '/api/v1/contact-lists', { name: 42 }],
        ['post', '/api/v1/contact-lists', { name: '' }],
        ['post', '/api/v1/contact-lists', { name: 'l'.repeat(201) }],
        ['post', `/api/v1/contact-lists/${listId}/contacts`, { contactIds: 'x' }],
        ['post', `/api/v1/contact-lists/${listId}/contacts`, { contactIds: [] }],
        ['post', `/api/v1/contact-lists/${listId}/contacts`, { contactIds: ['not-a-uuid'] }],
        ['post', `/api/v1/contact-lists/${listId}/contacts`, { contactIds: Array.from({ length: 1001 }, () => randomUUID()) }],
        ['post', `/api/v1/contact-lists/${listId}/contacts/remove`, { contactIds: [null] }],
        ['patch', `/api/v1/contact-lists/${listId}`, { version: -1 }],
        ['post', '/api/v1/contact-custom-fields', { key: '1starts-with-digit', label: 'x', type: 'text' }],
        ['post', '/api/v1/contact-custom-fields', { key: 'has space', label: 'x', type: 'text' }],
        ['post', '/api/v1/contact-custom-fields', { key: 'k'.repeat(65), label: 'x', type: 'text' }],
        ['post', '/api/v1/contact-custom-fields', { key: 'color', label: 'x', type: 'color' }],
        ['post', '/api/v1/contact-custom-fields', { key: 'color', label: '', type: 'text' }],
      ];
      for (const [method, url, body] of cases) {
        const res = await (method === 'post' ? http.post(url) : http.patch(url)).set(a.auth).send(body as object);
        expect({ url, body: JSON.stringify(body).slice(0, 80), status: res.status }).toEqual({
          url,
          body: JSON.stringify(body).slice(0, 80),
          status: 400,
        });
        expectProblem(res, 400);
      }
    });

    it('answers an oversized body with 413 problem+json', async () => {
      const res = await http
        .post('/api/v1/contacts')
        .set(a.auth)
        .send({ name: 'x', tags: ['x'.repeat(2_000_000)] });
      expectProblem(res, 413);
    });

    it('answers a duplicate custom field key with 409', async () => {
      await defineField(a, 'dupkey', 'text');
      expectProblem(
        await http.post('/api/v1/contact-custom-fields').set(a.auth).send({ key: 'dupkey', label: 'Again', type: 'number' }),
        409,
        'custom_field.duplicate_key',
      );
    });
  });
});
