import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

const N = 12;

/** N concurrent writers at the same version: exactly one wins, the rest are told so, nothing is lost or merged. */
describe('optimistic locking under concurrency', () => {
  let t: TestApp;
  let a: Tenant;
  let admin: Client;

  beforeAll(async () => {
    t = await startTestApp();
    a = await registerTenant(t.http, 'lock');
    admin = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await t.close();
  });

  const create = async (name: string) => (await t.http.post('/api/v1/contacts').set(a.auth).send({ name }).expect(201)).body;

  async function race(id: string, request: (i: number) => Promise<{ status: number; body: { name?: string; version?: number } }>) {
    const results = await Promise.all(Array.from({ length: N }, (_, i) => request(i)));
    const winners = results.filter((r) => r.status === 200);
    return { results, winners };
  }

  async function assertOneWinner(id: string, winners: { body: { name?: string } }[]) {
    expect(winners).toHaveLength(1);
    const current = await t.http.get(`/api/v1/contacts/${id}`).set(a.auth).expect(200);
    expect(current.body).toMatchObject({ version: 2, name: winners[0].body.name });
    expect(current.headers.etag).toBe('"2"');
    const stream = await admin.query(
      `SELECT event_type, sequence_number FROM contact_event_store WHERE aggregate_id = $1 ORDER BY sequence_number`,
      [id],
    );
    expect(stream.rows).toEqual([
      { event_type: 'contact.created', sequence_number: 1 },
      { event_type: 'contact.updated', sequence_number: 2 },
    ]);
    const outbox = await admin.query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = $1 AND event_type = 'contact.updated'`,
      [id],
    );
    expect(outbox.rows[0].n).toBe(1);
  }

  it('If-Match: one 200, every other writer 412', async () => {
    const contact = await create('original');
    const { results, winners } = await race(contact.id, (i) =>
      t.http
        .patch(`/api/v1/contacts/${contact.id}`)
        .set(a.auth)
        .set('If-Match', '"1"')
        .send({ name: `writer ${i}` }),
    );
    expect(results.filter((r) => r.status === 412)).toHaveLength(N - 1);
    await assertOneWinner(contact.id, winners);
  });

  it('body version: one 200, every other writer 409', async () => {
    const contact = await create('original');
    const { results, winners } = await race(contact.id, (i) =>
      t.http
        .patch(`/api/v1/contacts/${contact.id}`)
        .set(a.auth)
        .send({ name: `writer ${i}`, version: 1 }),
    );
    expect(results.filter((r) => r.status === 409)).toHaveLength(N - 1);
    expect(results.find((r) => r.status === 409)?.body).toMatchObject({ code: 'version_conflict' });
    await assertOneWinner(contact.id, winners);
  });

  it('without a precondition, concurrent writers still never overwrite each other silently', async () => {
    const contact = await create('original');
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        t.http
          .patch(`/api/v1/contacts/${contact.id}`)
          .set(a.auth)
          .send({ tags: [`t${i}`] }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length + results.filter((r) => r.status === 409).length).toBe(N);
    const current = await t.http.get(`/api/v1/contacts/${contact.id}`).set(a.auth).expect(200);
    // Every successful write produced exactly one version and one event.
    expect(current.body.version).toBe(1 + ok.length);
    await eventually(
      async () => (await t.http.get(`/api/v1/contacts/${contact.id}/timeline`).set(a.auth)).body.data.length === 1 + ok.length,
    );
  });

  it('a stale If-Match on DELETE answers 412 and deletes nothing', async () => {
    const contact = await create('keep me');
    await t.http.patch(`/api/v1/contacts/${contact.id}`).set(a.auth).send({ name: 'changed' }).expect(200);
    const res = await t.http.delete(`/api/v1/contacts/${contact.id}`).set(a.auth).set('If-Match', '"1"');
    expect(res.status).toBe(412);
    expect(res.headers['content-type']).toContain('application/problem+json');
    await t.http.get(`/api/v1/contacts/${contact.id}`).set(a.auth).expect(200);
  });

  it('the same holds for contact lists', async () => {
    const list = (await t.http.post('/api/v1/contact-lists').set(a.auth).send({ name: 'race list' }).expect(201)).body;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        t.http
          .patch(`/api/v1/contact-lists/${list.id}`)
          .set(a.auth)
          .set('If-Match', '"1"')
          .send({ name: `race ${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(N - 1);
  });
});
