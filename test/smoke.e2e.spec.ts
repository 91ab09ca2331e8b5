import { TransactionRunner } from '#persistence/transaction-runner';
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

  it('runs after-commit work only once the unit of work has committed, never after a rollback', async () => {
    const runner = t.app.get(TransactionRunner);
    const a = await registerTenant(t.http);
    const seen: string[] = [];
    await runner.runAsTenant(a.tenantId, async (em) => {
      runner.afterCommit(() => seen.push('committed'));
      await em.query('SELECT 1');
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual(['committed']);
    await expect(
      runner.runAsTenant(a.tenantId, async () => {
        runner.afterCommit(() => seen.push('rolled back'));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(seen).toEqual(['committed']);
  });

  it('opens a tenant transaction with its settings as escaped literals, nested transactions as savepoints', async () => {
    const runner = t.app.get(TransactionRunner);
    const a = await registerTenant(t.http);
    const userId = "o'brien\\ -- ;";
    const seen = await runner.runAsTenant(
      a.tenantId,
      async (em) => {
        const [row] = await em.query(
          `SELECT current_setting('app.current_tenant_id') AS tenant, current_setting('app.current_user_id') AS "user",
                  current_setting('synchronous_commit') AS commit, now() = statement_timestamp() AS fresh`,
        );
        // A nested TypeORM transaction is a savepoint of this one: its failure leaves the outer one usable.
        await expect(em.transaction(async (inner) => inner.query('SELECT 1/0'))).rejects.toThrow('division by zero');
        await em.query('SELECT 1');
        return row;
      },
      { userId, asyncCommit: true },
    );
    expect(seen).toMatchObject({ tenant: a.tenantId, user: userId, commit: 'off', fresh: false });
  });
});
