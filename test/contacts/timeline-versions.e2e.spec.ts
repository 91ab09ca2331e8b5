import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { randomUUID } from 'node:crypto';
import { eventually, registerTenant } from '../support/test-app';
import { Json, contactsSuite, expectProblem, stateOf } from './contacts-helpers';

const TRICKY = 'Ada "Countess" \\ {Lovelace}, NULL ✓';

describe('contacts: timeline and versions', () => {
  const { suite, create, defineField, asTenant } = contactsSuite();
  let http: typeof suite.http;
  let t: typeof suite.t;
  beforeAll(() => {
    http = suite.http;
    t = suite.t;
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
              .send({ email: 'tl@example.com', tags: ['x'], name: TRICKY })
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
      expect((timeline.data[1].title as string).replace('Contact updated: ', '').split(', ').sort()).toEqual(['email', 'name', 'tags']);
      // The batch's entries go in as arrays of JSON text: quotes, backslashes, braces and commas come back intact.
      expect(timeline.data[1].payload).toEqual({ changes: { email: 'tl@example.com', tags: ['x'], name: TRICKY } });
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
});
