import { randomUUID } from 'node:crypto';
import { registerTenant } from '../support/test-app';
import { contactsSuite, expectProblem } from './contacts-helpers';

describe('contacts: Idempotency-Key', () => {
  const { suite, listIds } = contactsSuite();
  let http: typeof suite.http;
  beforeAll(() => {
    http = suite.http;
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
});
