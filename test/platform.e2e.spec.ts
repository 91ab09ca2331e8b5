import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Redis from 'ioredis';
import request from 'supertest';
import type { Response } from 'supertest';
import { loadConfig } from '#config/app-config';
import { RedisRateLimitStore } from '#http/redis-rate-limit-store';
import { JsonLogger } from '#logging/json-logger';
import { appTarget, parseDatabaseUrl } from '#persistence/connection-options';
import { freePort } from '../src/tooling/local-postgres';
import { createApp } from '../src/app.factory';
import { TestApp, eventually, registerTenant, startTestApp } from './support/test-app';

function expectProblem(res: Response, status: number, code?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (code !== undefined) expect(res.body.code).toBe(code);
}

function expectRateLimitHeaders(res: Response, limit: number): void {
  expect(res.headers['x-ratelimit-limit']).toBe(String(limit));
  expect(Number(res.headers['x-ratelimit-remaining'])).toBeGreaterThanOrEqual(0);
  expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
}

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(
    async () =>
      (t = await startTestApp({ relay: false, env: { RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: '5', RATE_LIMIT_PER_MINUTE: '20' } })),
  );
  afterAll(() => t.close());

  it('limits bad and missing credentials per client address before any is known: 401 five times, then 429', async () => {
    for (let i = 1; i <= 5; i++) {
      const res =
        i % 2
          ? await t.http.get('/api/v1/contacts').set('Authorization', `Bearer crm_not_a_key_${i}`)
          : await t.http.get('/api/v1/contacts');
      expectProblem(res, 401);
      expect(res.headers['x-ratelimit-remaining']).toBe(String(5 - i));
    }
    const limited = await t.http.get('/api/v1/contacts').set('Authorization', 'Bearer crm_not_a_key_6');
    expectProblem(limited, 429, 'rate_limited');
    expectRateLimitHeaders(limited, 5);
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Public routes are not behind authentication and keep answering.
    expect((await t.http.get('/health')).status).toBe(200);
  });

  it('gives 429 responses of a credential the same X-RateLimit-* headers as its 2xx ones', async () => {
    const app = await startTestApp({ relay: false, env: { RATE_LIMIT_PER_MINUTE: '8' } });
    try {
      const tenant = await registerTenant(app.http, 'limited'); // counted against the address, not the key
      for (let i = 1; i <= 8; i++) {
        const ok = await app.http.get('/api/v1/contacts').set(tenant.auth);
        expect(ok.status).toBe(200);
        expectRateLimitHeaders(ok, 8);
        expect(ok.headers['x-ratelimit-remaining']).toBe(String(8 - i));
      }
      const limited = await app.http.get('/api/v1/contacts').set(tenant.auth);
      expectProblem(limited, 429, 'rate_limited');
      expectRateLimitHeaders(limited, 8);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      const metrics = await app.http.get('/metrics');
      expect(metrics.text).toMatch(/http_rate_limited_total\{budget="credential"\} 1/);
    } finally {
      await app.close();
    }
  });
});

describe('rate limits shared through Redis (REDIS_URL)', () => {
  const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

  async function redisAnswers(): Promise<boolean> {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }

  it('counts the hits of two application instances against one budget (per instance without Redis)', async () => {
    const shared = await redisAnswers();
    if (!shared) console.warn(`no Redis answers at ${url}: checking that in-memory limits stay per instance`);
    const signup = await startTestApp({ relay: false });
    const tenant = await registerTenant(signup.http, 'shared');
    await signup.close();
    const env = { RATE_LIMIT_PER_MINUTE: '6', ...(shared ? { REDIS_URL: url } : {}) };
    const [one, two] = [await startTestApp({ relay: false, env }), await startTestApp({ relay: false, env })];
    try {
      for (let i = 0; i < 3; i++) expect((await one.http.get('/api/v1/contacts').set(tenant.auth)).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await two.http.get('/api/v1/contacts').set(tenant.auth)).status).toBe(200);
      const seventh = await two.http.get('/api/v1/contacts').set(tenant.auth);
      if (shared) expectProblem(seventh, 429, 'rate_limited');
      else expect(seventh.status).toBe(200);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('the Redis store counts per window and resets, and counts in memory while Redis is away', async () => {
    if (await redisAnswers()) {
      const store = RedisRateLimitStore.connect(url, console);
      const key = `test:${process.pid}:${Date.now()}`;
      try {
        expect(await store.hit(key, 60_000)).toMatchObject({ count: 1 });
        const second = await store.hit(key, 60_000);
        expect(second.count).toBe(2);
        expect(second.resetInMs).toBeGreaterThan(50_000);
        await store.reset(key);
        expect((await store.hit(key, 60_000)).count).toBe(1);
      } finally {
        await store.reset(key);
        await store.close();
      }
    }
    // Redis unreachable: requests are not refused for it, and limits still hold (per process).
    const app = await startTestApp({ relay: false, env: { REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const tenant = await registerTenant(app.http, 'no-redis');
      for (let i = 0; i < 3; i++) expect((await app.http.get('/api/v1/contacts').set(tenant.auth)).status).toBe(200);
      expectProblem(await app.http.get('/api/v1/contacts').set(tenant.auth), 429, 'rate_limited');
    } finally {
      await app.close();
    }
  });
});

describe('input', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ relay: false })));
  afterAll(() => t.close());

  it('rejects a lone UTF-16 surrogate in any string or key of a body with 400, like NUL', async () => {
    const tenant = await registerTenant(t.http, 'surrogate');
    const register = await t.http
      .post('/api/v1/auth/register')
      .send({ email: 'lone@example.com', password: 'correct horse battery', name: 'Lone \ud800', tenantName: 'T' });
    expectProblem(register, 400, 'validation');
    expect(register.body.errors).toEqual([expect.objectContaining({ field: 'name', message: expect.stringMatching(/surrogate/) })]);
    expectProblem(await t.http.post('/api/v1/contacts').set(tenant.auth).send({ name: '\udc00 trailing' }), 400, 'validation');
    expectProblem(
      await t.http
        .post('/api/v1/contacts')
        .set(tenant.auth)
        .send({ name: 'x', tags: ['ok', 'bad\ud83d'] }),
      400,
      'validation',
    );
    expectProblem(
      await t.http
        .post('/api/v1/contacts')
        .set(tenant.auth)
        .send({ name: 'x', customFields: { 'k\ud800': 'v' } }),
      400,
      'validation',
    );
    // A well-formed pair (an emoji) is fine.
    expect((await t.http.post('/api/v1/contacts').set(tenant.auth).send({ name: 'Smile \ud83d\ude00' })).status).toBe(201);
  });

  it('answers 415 problem+json to a body that is not JSON', async () => {
    const tenant = await registerTenant(t.http, 'media');
    const form = await t.http.post('/api/v1/contacts').set(tenant.auth).type('form').send('name=Grace');
    expectProblem(form, 415, 'unsupported_media_type');
    expectProblem(await t.http.post('/api/v1/contacts').set(tenant.auth).set('Content-Type', 'text/plain').send('{"name":"x"}'), 415);
    const login = await t.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('email=a&password=b');
    expectProblem(login, 415);
    const json = await t.http
      .post('/api/v1/contacts')
      .set(tenant.auth)
      .set('Content-Type', 'application/json; charset=utf-8')
      .send('{"name":"Json"}');
    expect(json.status).toBe(201);
    expect((await t.http.get('/api/v1/contacts').set(tenant.auth)).status).toBe(200);
  });
});

describe('security headers and CORS', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ relay: false, env: { CORS_ORIGINS: 'https://app.example.com' } })));
  afterAll(() => t.close());

  it('sends helmet headers, with a policy that forbids everything on API responses', async () => {
    const res = await t.http.get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows the configured origins only', async () => {
    const allowed = await t.http
      .options('/api/v1/contacts')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const simple = await t.http.get('/health').set('Origin', 'https://app.example.com');
    expect(simple.headers['access-control-expose-headers']).toMatch(/X-Request-Id/);
    const other = await t.http.get('/health').set('Origin', 'https://evil.example.com');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus metrics by route pattern, pool use and the outbox backlog; not in the OpenAPI document', async () => {
    const t = await startTestApp();
    try {
      const tenant = await registerTenant(t.http, 'metrics');
      const created = await t.http.post('/api/v1/contacts').set(tenant.auth).send({ name: 'Counted' });
      await t.http.get(`/api/v1/contacts/${created.body.id}`).set(tenant.auth);
      await t.relay.wake();
      const res = await t.http.get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/contacts\/:id",status="200"\} 1/);
      expect(res.text).not.toContain(created.body.id);
      expect(res.text).toMatch(/outbox_events_backlog\{status="dead"\} \d+/);
      expect(res.text).toMatch(/outbox_relay_delivered_events_total [1-9]/);
      expect(res.text).toMatch(/outbox_delivery_lag_seconds_count [1-9]/);
      expect(res.text).toMatch(/db_pool_connections\{pool="app",state="total"\} [1-9]/);
      expect(res.text).toMatch(/db_pool_connections\{pool="relay",state="total"\}/);
      const document = await t.http.get('/docs-json');
      expect(Object.keys(document.body.paths)).not.toContain('/metrics');
    } finally {
      await t.close();
    }
  });

  it('needs METRICS_TOKEN as a bearer token when one is configured', async () => {
    const t = await startTestApp({ relay: false, env: { METRICS_TOKEN: 'metrics-token-0123456789' } });
    try {
      expectProblem(await t.http.get('/metrics'), 401);
      expectProblem(await t.http.get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789'), 401);
      expect((await t.http.get('/metrics').set('Authorization', 'Bearer metrics-token-0123456789')).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('is off in production without a token or a port of its own, and on METRICS_PORT only when one is given', async () => {
    const off = await startTestApp({ relay: false, env: { NODE_ENV: 'production', PASSWORD_SCRYPT_LOG_N: '' } });
    try {
      expectProblem(await off.http.get('/metrics'), 404);
    } finally {
      await off.close();
    }
    const port = await freePort();
    const separate = await startTestApp({
      relay: false,
      env: { NODE_ENV: 'production', PASSWORD_SCRYPT_LOG_N: '', METRICS_PORT: String(port) },
    });
    try {
      expectProblem(await separate.http.get('/metrics'), 404);
      const scraped = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toMatch(/process_cpu_seconds_total/);
    } finally {
      await separate.close();
    }
  });
});

describe('logging', () => {
  it('writes one JSON line per request with its request id, errors with their stack, secrets redacted', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(
          ...chunk
            .toString()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Record<string, unknown>),
        );
        done();
      },
    });
    const logger = new JsonLogger('info', sink);
    const config = loadConfig({ ...process.env, REDIS_URL: '', LOG_LEVEL: 'info' });
    const app = await createApp(config, appTarget(parseDatabaseUrl(config.databaseUrl!), config.appDbPassword), logger);
    await app.init();
    try {
      await request(app.getHttpServer())
        .get('/api/v1/contacts')
        .set('X-Request-Id', 'req-123')
        .set('Authorization', 'Bearer crm_secret')
        .expect(401);
      const requestLine = await eventually(async () => lines.find((l) => l.requestId === 'req-123'), 2000).catch(() => {
        throw new Error(JSON.stringify(lines.slice(-5)));
      });
      expect(requestLine).toMatchObject({
        level: 'info',
        context: 'Http',
        method: 'GET',
        path: '/api/v1/contacts',
        route: '/api/v1/contacts',
        status: 401,
      });
      expect(lines.filter((l) => l.requestId === 'req-123')).toHaveLength(1);

      const error = new Error('boom');
      logger.error('failed', error.stack, 'Somewhere');
      logger.error(error);
      logger.write('warn', 'with secrets', 'Test', {
        authorization: 'Bearer crm_secret',
        password: 'hunter2',
        headers: { authorization: 'Bearer crm_secret', 'x-request-id': 'r' },
        body: { apiKey: 'crm_x', token: 't', name: 'kept' },
      });
      const [withContext, asError] = lines.filter((l) => l.level === 'error');
      expect(withContext).toMatchObject({ context: 'Somewhere', msg: 'failed', stack: expect.stringMatching(/Error: boom\n\s+at /) });
      expect(asError).toMatchObject({ msg: 'boom', err: { type: 'Error', message: 'boom', stack: expect.stringMatching(/\n\s+at /) } });
      const redacted = lines.find((l) => l.msg === 'with secrets');
      expect(redacted).toMatchObject({
        authorization: '[redacted]',
        password: '[redacted]',
        headers: { authorization: '[redacted]', 'x-request-id': 'r' },
        body: { apiKey: '[redacted]', token: '[redacted]', name: 'kept' },
      });
      expect(JSON.stringify(lines)).not.toMatch(/crm_secret|hunter2/);
    } finally {
      await app.close();
    }
  });
});

describe('generated development secrets', () => {
  it('makes a random JWT secret once, keeps it in the data folder (0600), and refuses a missing one in production', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-secret-'));
    try {
      const first = loadConfig({ DATA_DIR: dir }).jwtSecret;
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(loadConfig({ DATA_DIR: dir }).jwtSecret).toBe(first);
      expect(readFileSync(join(dir, 'jwt-secret'), 'utf8').trim()).toBe(first);
      expect(statSync(join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
      expect(loadConfig({ DATA_DIR: dir, JWT_SECRET: 'y'.repeat(32) }).jwtSecret).toBe('y'.repeat(32));
      expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://o@h/db', APP_DB_PASSWORD: 'p', DATA_DIR: dir })).toThrow(
        /JWT_SECRET/,
      );
      expect(() =>
        loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://o@h/db', APP_DB_PASSWORD: 'p', JWT_SECRET: 'short' }),
      ).toThrow(/JWT_SECRET/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
