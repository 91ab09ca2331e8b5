import type { Response } from 'supertest';
import { randomUUID } from 'node:crypto';
import { Tenant, registerTenant } from '../support/test-app';
import { Json, contactsSuite, expectProblem } from './contacts-helpers';

describe('contacts: bad input', () => {
  const { suite, create, defineField } = contactsSuite();
  let http: typeof suite.http;
  beforeAll(() => {
    http = suite.http;
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
