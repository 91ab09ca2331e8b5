import { registerTenant, startTestApp, TestApp } from './support/test-app';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('creates a contact and serves it back with its ETag', async () => {
    const a = await registerTenant(t.http);
    const created = await t.http
      .post('/api/v1/contacts')
      .set(a.auth)
      .send({ name: 'Ada', email: 'ADA@example.com', phone: '+1 415 555 2671' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Ada', email: 'ada@example.com', phone: '+14155552671', version: 1 });
    const got = await t.http.get(`/api/v1/contacts/${created.body.id}`).set(a.auth);
    expect(got.status).toBe(200);
    expect(got.headers.etag).toBe('"1"');
  });
});
