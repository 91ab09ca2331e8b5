import { Tenant, registerTenant } from '../support/test-app';
import { ContactView, Json, contactsSuite, expectProblem } from './contacts-helpers';

describe('contacts: list, filters and pagination', () => {
  const { suite, create, listIds, defineField } = contactsSuite();
  let http: typeof suite.http;
  beforeAll(() => {
    http = suite.http;
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
});
