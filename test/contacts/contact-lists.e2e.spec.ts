import { randomUUID } from 'node:crypto';
import { Tenant, registerTenant } from '../support/test-app';
import { ContactView, Json, contactsSuite, expectProblem } from './contacts-helpers';

describe('contact lists', () => {
  const { suite, create } = contactsSuite();
  let http: typeof suite.http;
  beforeAll(() => {
    http = suite.http;
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
});
