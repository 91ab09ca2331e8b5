import { JwtService } from '@nestjs/jwt';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { Tenant, TestApp, registerTenant, startTestApp } from './support/test-app';

/** Issue 5: brute force, sign-up floods, per-user budgets, key caps, weak passwords, scrypt cost, token claims. */

function expectProblem(res: Response, status: number, code?: string): void {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code: code ?? res.body.code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}

let seq = 0;
const email = (label: string) => `${label}-${process.pid}-${Date.now()}-${++seq}@example.com`;
const PASSWORD = 'correct horse battery';

function register(t: TestApp, address: string, body: Partial<Record<'email' | 'password' | 'name' | 'tenantName', string>> = {}) {
  return t.http
    .post('/api/v1/auth/register')
    .set('X-Forwarded-For', address)
    .send({ email: email('abuse'), password: PASSWORD, name: 'Abuse Owner', tenantName: 'Abuse Ltd', ...body });
}

const login = (t: TestApp, address: string, who: string, password: string) =>
  t.http.post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ email: who, password });

describe('sign-in and sign-up limits', () => {
  let t: TestApp;
  beforeAll(
    async () =>
      (t = await startTestApp({
        relay: false,
        env: { LOGIN_MAX_FAILURES_PER_MINUTE: '3', LOGIN_MAX_PER_ADDRESS_PER_MINUTE: '6', REGISTER_PER_HOUR: '3' },
      })),
  );
  afterAll(() => t.close());

  it('refuses an account after 3 failed sign-ins a minute with 429 and Retry-After, even with the right password', async () => {
    const victim = (await register(t, '192.0.2.1').expect(201)).body.user.email as string;
    const other = (await register(t, '192.0.2.1').expect(201)).body.user.email as string;
    // Each guess comes from another address: the account's own count stops them.
    for (let i = 1; i <= 3; i++) expectProblem(await login(t, `192.0.2.${10 + i}`, victim, `wrong guess ${i}!`), 401, 'auth.invalid_login');
    const refused = await login(t, '192.0.2.20', victim, PASSWORD);
    expectProblem(refused, 429, 'auth.too_many_attempts');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Unknown emails are counted the same way (nothing tells them apart), and other accounts are untouched.
    const ghost = email('ghost');
    for (let i = 1; i <= 3; i++) expectProblem(await login(t, `192.0.2.${30 + i}`, ghost, 'wrong guess!!'), 401);
    expectProblem(await login(t, '192.0.2.40', ghost, 'wrong guess!!'), 429, 'auth.too_many_attempts');
    expect((await login(t, '192.0.2.41', other, PASSWORD)).status).toBe(200);
  });

  it('clears an account’s failures when its owner signs in', async () => {
    const user = (await register(t, '192.0.2.2').expect(201)).body.user.email as string;
    for (let i = 0; i < 2; i++) expectProblem(await login(t, '192.0.2.50', user, 'typo password'), 401);
    expect((await login(t, '192.0.2.51', user, PASSWORD)).status).toBe(200);
    for (let i = 0; i < 3; i++) expectProblem(await login(t, '192.0.2.52', user, 'typo password'), 401);
    expectProblem(await login(t, '192.0.2.53', user, PASSWORD), 429);
  });

  it('refuses an address after 6 sign-in attempts a minute, whichever accounts it tries', async () => {
    for (let i = 0; i < 6; i++) expectProblem(await login(t, '198.51.100.7', email('spray'), 'Summer2024!!'), 401, 'auth.invalid_login');
    const refused = await login(t, '198.51.100.7', email('spray'), 'Summer2024!!');
    expectProblem(refused, 429, 'auth.too_many_attempts');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expectProblem(await login(t, '198.51.100.8', email('spray'), 'Summer2024!!'), 401);
  });

  it('refuses the 4th sign-up of an address within the hour', async () => {
    for (let i = 0; i < 3; i++) expect((await register(t, '203.0.113.9')).status).toBe(201);
    const refused = await register(t, '203.0.113.9');
    expectProblem(refused, 429, 'auth.too_many_registrations');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60);
    expect((await register(t, '203.0.113.10')).status).toBe(201);
  });
});

describe('per-user request budget and API key limits', () => {
  let t: TestApp;
  beforeAll(
    async () => (t = await startTestApp({ relay: false, env: { RATE_LIMIT_PER_MINUTE: '6', API_KEYS_PER_USER_PER_PROJECT: '3' } })),
  );
  afterAll(() => t.close());

  it('counts all of a user’s API keys against one budget: a fresh key does not reset it', async () => {
    const a = await registerTenant(t.http, 'budget');
    for (let i = 0; i < 3; i++) expect((await t.http.get('/api/v1/contacts').set(a.auth)).status).toBe(200);
    const fresh = await t.http.post('/api/v1/api-keys').set(a.auth).send({ name: 'escape hatch' });
    expect(fresh.status).toBe(201);
    const freshAuth = { Authorization: `Bearer ${fresh.body.key}` };
    expect((await t.http.get('/api/v1/contacts').set(freshAuth)).status).toBe(200);
    expect((await t.http.get('/api/v1/contacts').set(freshAuth)).status).toBe(200);
    const limited = await t.http.get('/api/v1/contacts').set(freshAuth);
    expectProblem(limited, 429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another user is not affected.
    const b = await registerTenant(t.http, 'budget-b');
    expect((await t.http.get('/api/v1/contacts').set(b.auth)).status).toBe(200);
  });

  it('caps a user’s active keys in a project (409), and a revoked key frees its place', async () => {
    const a = await registerTenant(t.http, 'cap');
    const second = await t.http.post('/api/v1/api-keys').set(a.auth).send({ name: 'second' });
    expect(second.status).toBe(201);
    expect((await t.http.post('/api/v1/api-keys').set(a.auth).send({ name: 'third' })).status).toBe(201);
    expectProblem(await t.http.post('/api/v1/api-keys').set(a.auth).send({ name: 'fourth' }), 409, 'api_key.limit_reached');
    expect((await t.http.delete(`/api/v1/api-keys/${second.body.id}`).set(a.auth)).status).toBe(204);
  });
});

describe('passwords', () => {
  let t: TestApp;
  let owner: Client;
  beforeAll(async () => {
    t = await startTestApp({ relay: false });
    owner = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
    await t.close();
  });

  it.each<[string, (who: string) => Record<string, string>, string]>([
    ['the email', (who) => ({ email: who, password: who }), 'user.password_like_identity'],
    ['the email in capitals', (who) => ({ email: who, password: who.toUpperCase() }), 'user.password_like_identity'],
    ['the local part of the email', (who) => ({ email: who, password: who.split('@')[0] }), 'user.password_like_identity'],
    ['the name', () => ({ name: 'Grace Brewster Hopper', password: 'grace brewster hopper' }), 'user.password_like_identity'],
    ['a common password', () => ({ password: 'password123' }), 'user.password_too_common'],
    ['another common password', () => ({ password: 'qwertyuiop' }), 'user.password_too_common'],
  ])('refuses %s as a password with a clear 400, creating nothing', async (_label, body, code) => {
    const who = email('weakpassword');
    const res = await register(t, '127.0.0.1', { email: who, ...body(who) });
    expectProblem(res, 400, code);
    const { rows } = await owner.query('SELECT 1 FROM users WHERE lower(email) = lower($1)', [who]);
    expect(rows).toEqual([]);
  });

  it('hashes with scrypt N=2^17 in production settings, and upgrades an older, cheaper hash at the next sign-in', async () => {
    // The suite's app hashes at 2^12 (test speed); this one at the production default.
    const strong = await startTestApp({ relay: false, env: { PASSWORD_SCRYPT_LOG_N: '' } });
    try {
      expect(strong.config.identity.scryptLogN).toBe(17);
      const hashOf = async (who: string) =>
        (await owner.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [who])).rows[0].password_hash;

      const fresh = (await register(strong, '127.0.0.1').expect(201)).body.user.email as string;
      expect(await hashOf(fresh)).toMatch(/^scrypt\$131072\$8\$1\$/);

      const old = (await register(t, '127.0.0.1').expect(201)).body.user.email as string;
      const cheap = await hashOf(old);
      expect(cheap).toMatch(/^scrypt\$4096\$8\$1\$/);
      expect((await login(t, '127.0.0.1', old, PASSWORD)).status).toBe(200);
      expect(await hashOf(old)).toBe(cheap); // same cost: left alone
      expectProblem(await login(strong, '127.0.0.1', old, 'wrong password!'), 401);
      expect(await hashOf(old)).toBe(cheap); // a wrong password upgrades nothing
      const started = Date.now();
      expect((await login(strong, '127.0.0.1', old, PASSWORD)).status).toBe(200);
      const upgraded = await hashOf(old);
      expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/);
      expect(Date.now() - started).toBeGreaterThan(50); // two production-cost hashes: verified and rehashed
      // The upgraded hash still signs in, wherever.
      expect((await login(strong, '127.0.0.1', old, PASSWORD)).status).toBe(200);
      expect((await login(t, '127.0.0.1', old, PASSWORD)).status).toBe(200);
      expect(await hashOf(old)).toBe(upgraded);
    } finally {
      await strong.close();
    }
  });
});

describe('user tokens', () => {
  let t: TestApp;
  let a: Tenant;
  let jwt: JwtService;
  beforeAll(async () => {
    t = await startTestApp({ relay: false });
    a = await registerTenant(t.http, 'tokens');
    jwt = new JwtService({});
  });
  afterAll(() => t.close());

  const call = (token: string) => t.http.get('/api/v1/contacts').set({ Authorization: `Bearer ${token}`, 'X-Project-Id': a.projectId });
  const forge = (payload: object, options: { expiresIn?: number; issuer?: string; audience?: string } = {}) =>
    jwt.sign({ sub: a.userId, ...payload }, { secret: t.config.jwtSecret, ...options });

  it('carries iss, aud and exp', async () => {
    const res = await login(t, '127.0.0.1', a.email, a.password);
    const claims = jwt.decode<{ iss: string; aud: string; exp: number; iat: number; sub: string }>(res.body.accessToken);
    expect(claims).toMatchObject({ iss: 'crm-backend', aud: 'crm-api', sub: a.userId });
    expect(claims.exp - claims.iat).toBe(t.config.jwtTtlSeconds);
    expect((await call(res.body.accessToken)).status).toBe(200);
  });

  it('refuses tokens signed with the right secret but without exp, or with a wrong or missing iss or aud (401)', async () => {
    const { jwtIssuer: issuer, jwtAudience: audience } = t.config.identity;
    expect((await call(forge({}, { expiresIn: 60, issuer, audience }))).status).toBe(200);
    for (const token of [
      forge({}, { issuer, audience }),
      forge({}, { expiresIn: 60, issuer: 'someone-else', audience }),
      forge({}, { expiresIn: 60, issuer, audience: 'another-api' }),
      forge({}, { expiresIn: 60 }),
      forge({}, { expiresIn: -10, issuer, audience }),
    ]) {
      expectProblem(await call(token), 401, 'auth.invalid_credential');
    }
    expectProblem(await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${forge({}, { issuer, audience })}`), 401);
  });
});
