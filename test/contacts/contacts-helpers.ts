import type { Response } from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { Tenant, TestApp, startTestApp } from '../support/test-app';

export type Json = Record<string, unknown>;
export interface ContactView {
  id: string;
  version: number;
  [field: string]: unknown;
}

/** An RFC 9457 problem+json of `status` (and `code`, when given), without internals. */
export function expectProblem(res: Response, status: number, code?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String) }));
  if (code !== undefined) expect(res.body.code).toBe(code);
  expect(JSON.stringify(res.body)).not.toMatch(/node_modules|\.ts:\d+|QueryFailedError|duplicate key|violates|at \w+ \(/);
}

/** The fields a version of a contact is made of (not the timestamps of its row). */
export function stateOf(view: Json): Json {
  const { createdAt: _c, updatedAt: _u, ...state } = view;
  return state;
}

/** The app of one suite file and the small factories its tests share; call it inside the file's `describe`. */
export function contactsSuite(options: Parameters<typeof startTestApp>[0] = {}) {
  const suite = {} as { t: TestApp; http: TestAgent };
  beforeAll(async () => {
    suite.t = await startTestApp(options);
    suite.http = suite.t.http;
  });
  afterAll(() => suite.t.close());

  async function create(tenant: Tenant, body: Json): Promise<ContactView> {
    const res = await suite.http.post('/api/v1/contacts').set(tenant.auth).send(body);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    return res.body;
  }

  async function listIds(tenant: Tenant, query: Record<string, string | number | boolean> = {}): Promise<string[]> {
    const res = await suite.http.get('/api/v1/contacts').set(tenant.auth).query(query);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
    return res.body.data.map((c: ContactView) => c.id);
  }

  async function defineField(tenant: Tenant, key: string, type: string): Promise<void> {
    const res = await suite.http.post('/api/v1/contact-custom-fields').set(tenant.auth).send({ key, label: key.toUpperCase(), type });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201, body: { key, type } });
  }

  /** Runs SQL as the application role inside the tenant's transaction (RLS applies). */
  function asTenant<T>(tenant: Tenant, sql: string, params: unknown[]): Promise<T[]> {
    return suite.t.dataSource.transaction(async (em) => {
      await em.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenant.tenantId]);
      return em.query(sql, params);
    });
  }

  return { suite, create, listIds, defineField, asTenant };
}
