import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { Tenant, TestApp, registerTenant, startTestApp } from './support/test-app';

/** An RFC 9457 problem+json of `status` (and `code`, when given), without internals. */
function expectProblem(res: Response, status: number, code?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String) }));
  if (code !== undefined) expect(res.body.code).toBe(code);
  expect(JSON.stringify(res.body)).not.toMatch(/node_modules|\.ts:\d+|QueryFailedError|at \w+ \(/);
}

function expectValidationErrors(res: Response, fields: string[]): void {
  expectProblem(res, 400);
  expect(Array.isArray(res.body.errors)).toBe(true);
  const reported = new Set((res.body.errors as { field: string; message: string }[]).map((e) => e.field));
  for (const field of fields) expect(reported).toContain(field);
  for (const error of res.body.errors) expect(error).toEqual({ field: expect.any(String), message: expect.any(String) });
}

let seq = 0;
const uniqueEmail = (label: string) => `${label}-${process.pid}-${Date.now()}-${++seq}@example.com`;
const PASSWORD = 'correct horse battery';

async function login(http: TestAgent, email: string, password = PASSWORD): Promise<string> {
  const res = await http.post('/api/v1/auth/login').send({ email, password });
  expect(res.status).toBe(200);
  return res.body.accessToken as string;
}

const asUser = (token: string, projectId?: string): Record<string, string> =>
  projectId === undefined ? { Authorization: `Bearer ${token}` } : { Authorization: `Bearer ${token}`, 'X-Project-Id': projectId };

/** Members join by invitation: the admin invites the email, its owner accepts with their own token. */
async function invitedAndAccepted(http: TestAgent, admin: Tenant, email: string, password: string, role: string): Promise<void> {
  const invited = await http.post('/api/v1/members').set(admin.auth).send({ email, role });
  expect(invited.status).toBe(201);
  const token = await login(http, email, password);
  expect((await http.post(`/api/v1/invitations/${invited.body.id}/accept`).set(asUser(token))).status).toBe(200);
}

describe('identity', () => {
  let t: TestApp;
  let http: TestAgent;
  beforeAll(async () => {
    t = await startTestApp({ relay: false });
    http = t.http;
  });
  afterAll(() => t.close());

  describe('POST /auth/register', () => {
    it('creates a user, a tenant, its Default project and an API key that works', async () => {
      const email = uniqueEmail('Reg');
      const res = await http
        .post('/api/v1/auth/register')
        .send({ email: email.toUpperCase(), password: PASSWORD, name: ' Ada ', tenantName: ' Engines Ltd ' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        user: { id: expect.any(String), email: email.toLowerCase(), name: 'Ada' },
        tenant: { id: expect.any(String), name: 'Engines Ltd' },
        project: { id: expect.any(String), name: 'Default' },
        apiKey: { id: expect.any(String), name: 'Default key', prefix: expect.any(String), key: expect.stringMatching(/^crm_[\w-]{40,}$/) },
      });
      expect(res.body.apiKey.key.startsWith(res.body.apiKey.prefix)).toBe(true);
      expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
      const ids = [res.body.user.id, res.body.tenant.id, res.body.project.id, res.body.apiKey.id];
      expect(new Set(ids).size).toBe(4);

      const auth = { Authorization: `Bearer ${res.body.apiKey.key}` };
      const contacts = await http.get('/api/v1/contacts').set(auth);
      expect(contacts.status).toBe(200);
      expect(contacts.body).toEqual({ data: [], nextCursor: null });
      const created = await http.post('/api/v1/contacts').set(auth).send({ name: 'First' });
      expect(created.status).toBe(201);
      const members = await http.get('/api/v1/members').set(auth);
      expect(members.body.data).toEqual([expect.objectContaining({ userId: res.body.user.id, email: email.toLowerCase(), role: 'admin' })]);
    });

    it('answers 409 problem+json for an email already registered, in any spelling, and creates nothing', async () => {
      const email = uniqueEmail('dup');
      const first = await http.post('/api/v1/auth/register').send({ email, password: PASSWORD, name: 'One', tenantName: 'One' });
      expect(first.status).toBe(201);
      for (const again of [email, email.toUpperCase()]) {
        const res = await http
          .post('/api/v1/auth/register')
          .send({ email: again, password: 'another password 123', name: 'Two', tenantName: 'Two' });
        expectProblem(res, 409, 'user.duplicate_email');
      }
      // The first account is intact: its password still works and it still has one project.
      const logged = await http.post('/api/v1/auth/login').send({ email, password: PASSWORD });
      expect(logged.status).toBe(200);
      expect(logged.body.projects).toHaveLength(1);
      expect((await http.post('/api/v1/auth/login').send({ email, password: 'another password 123' })).status).toBe(401);
    });

    it.each<[string, Record<string, unknown>, string[]]>([
      ['an empty body', {}, ['email', 'password', 'name', 'tenantName']],
      ['an invalid email', { email: 'not-an-email', password: PASSWORD, name: 'A', tenantName: 'T' }, ['email']],
      ['a short password', { email: 'short@example.com', password: 'short', name: 'A', tenantName: 'T' }, ['password']],
      ['a too long password', { email: 'long@example.com', password: 'x'.repeat(201), name: 'A', tenantName: 'T' }, ['password']],
      ['wrong types', { email: 42, password: ['a'], name: { a: 1 }, tenantName: true }, ['email', 'password', 'name', 'tenantName']],
      ['empty names', { email: 'empty@example.com', password: PASSWORD, name: '', tenantName: '' }, ['name', 'tenantName']],
      ['a huge name', { email: 'huge@example.com', password: PASSWORD, name: 'x'.repeat(10_000), tenantName: 'T' }, ['name']],
      ['an unknown field', { email: 'unknown@example.com', password: PASSWORD, name: 'A', tenantName: 'T', role: 'superadmin' }, ['role']],
      [
        'a tenant id from the body',
        { email: 'tenant@example.com', password: PASSWORD, name: 'A', tenantName: 'T', tenantId: randomUUID() },
        ['tenantId'],
      ],
    ])('rejects %s with 400 and errors[]', async (_label, body, fields) => {
      const res = await http.post('/api/v1/auth/register').send(body);
      expectValidationErrors(res, fields);
    });

    it('does not create the account when the body is rejected', async () => {
      const email = uniqueEmail('rejected');
      const res = await http.post('/api/v1/auth/register').send({ email, password: PASSWORD, name: 'A', tenantName: 'T', extra: 1 });
      expectProblem(res, 400);
      expect((await http.post('/api/v1/auth/login').send({ email, password: PASSWORD })).status).toBe(401);
    });

    it('rejects a blank name or tenant name', async () => {
      for (const blank of [{ name: '   ' }, { tenantName: ' \t ' }]) {
        const res = await http
          .post('/api/v1/auth/register')
          .send({ email: uniqueEmail('blank'), password: PASSWORD, name: 'A', tenantName: 'T', ...blank });
        expectProblem(res, 400);
      }
    });

    it('answers 400 problem+json for a body that is not JSON', async () => {
      const res = await http.post('/api/v1/auth/register').set('Content-Type', 'application/json').send('{"email": "a@example.com",');
      expectProblem(res, 400, 'malformed_json');
    });
  });

  describe('POST /auth/login', () => {
    let a: Tenant;
    let b: Tenant;
    beforeAll(async () => {
      a = await registerTenant(http, 'login-a');
      b = await registerTenant(http, 'login-b');
    });

    it('exchanges email and password for a JWT and lists the projects', async () => {
      const res = await http.post('/api/v1/auth/login').send({ email: a.email.toUpperCase(), password: a.password });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        tokenType: 'Bearer',
        expiresIn: t.config.jwtTtlSeconds,
        projects: [{ projectId: a.projectId, projectName: 'Default', role: 'admin' }],
      });
    });

    it('answers 401 the same way for a wrong password and an unknown email', async () => {
      const wrong = await http.post('/api/v1/auth/login').send({ email: a.email, password: 'wrong password!' });
      expectProblem(wrong, 401, 'auth.invalid_login');
      const unknown = await http.post('/api/v1/auth/login').send({ email: uniqueEmail('nobody'), password: 'wrong password!' });
      expectProblem(unknown, 401, 'auth.invalid_login');
      expect(unknown.body.detail).toBe(wrong.body.detail);
    });

    it('rejects invalid bodies with 400', async () => {
      expectValidationErrors(await http.post('/api/v1/auth/login').send({}), ['email', 'password']);
      expectValidationErrors(await http.post('/api/v1/auth/login').send({ email: a.email, password: '' }), ['password']);
      expectValidationErrors(await http.post('/api/v1/auth/login').send({ email: a.email, password: PASSWORD, remember: true }), [
        'remember',
      ]);
    });

    it('the JWT with X-Project-Id acts in that project', async () => {
      const token = await login(http, a.email);
      const created = await http.post('/api/v1/contacts').set(asUser(token, a.projectId)).send({ name: 'Via JWT' });
      expect(created.status).toBe(201);
      const listed = await http.get('/api/v1/contacts').set(asUser(token, a.projectId));
      expect(listed.status).toBe(200);
      expect(listed.body.data.map((c: { id: string }) => c.id)).toContain(created.body.id);
      // The same contact is seen through the tenant's API key: same tenant, same project.
      expect((await http.get(`/api/v1/contacts/${created.body.id}`).set(a.auth)).status).toBe(200);
      expect((await http.get(`/api/v1/contacts/${created.body.id}`).set(b.auth)).status).toBe(404);
    });

    it('the JWT without X-Project-Id answers 400', async () => {
      const token = await login(http, a.email);
      expectProblem(await http.get('/api/v1/contacts').set(asUser(token)), 400, 'auth.project_required');
    });

    it("the JWT with another tenant's project answers 404, exactly like a project that does not exist", async () => {
      const token = await login(http, a.email);
      const other = await http.get('/api/v1/contacts').set(asUser(token, b.projectId));
      expectProblem(other, 404, 'project.not_found');
      const missing = await http.get('/api/v1/contacts').set(asUser(token, randomUUID()));
      expectProblem(missing, 404, 'project.not_found');
      expect(other.body.title).toBe(missing.body.title);
      expect(other.body.type).toBe(missing.body.type);
      expectProblem(await http.get('/api/v1/contacts').set(asUser(token, 'not-a-uuid')), 404);
      const write = await http.post('/api/v1/contacts').set(asUser(token, b.projectId)).send({ name: 'intruder' });
      expectProblem(write, 404);
      const bContacts = await http.get('/api/v1/contacts').set(b.auth).query({ q: 'intruder' });
      expect(bContacts.body.data).toEqual([]);
    });

    it('rejects missing, malformed, forged and foreign credentials with 401', async () => {
      expectProblem(await http.get('/api/v1/contacts'), 401, 'auth.missing_credential');
      expectProblem(await http.get('/api/v1/contacts').set('Authorization', 'Basic abc'), 401, 'auth.missing_credential');
      expectProblem(await http.get('/api/v1/contacts').set('Authorization', 'Bearer crm_not-a-real-key'), 401, 'auth.invalid_credential');
      expectProblem(
        await http.get('/api/v1/contacts').set('Authorization', `Bearer crm_${'x'.repeat(5000)}`),
        401,
        'auth.invalid_credential',
      );
      const token = await login(http, a.email);
      const [header, payload] = token.split('.');
      const forged = `${header}.${payload}.${Buffer.from('forged signature').toString('base64url')}`;
      expectProblem(await http.get('/api/v1/contacts').set(asUser(forged, a.projectId)), 401, 'auth.invalid_credential');
      const otherUser = Buffer.from(JSON.stringify({ sub: b.userId, iat: Math.floor(Date.now() / 1000) })).toString('base64url');
      expectProblem(
        await http.get('/api/v1/contacts').set(asUser(`${header}.${otherUser}.${token.split('.')[2]}`, b.projectId)),
        401,
        'auth.invalid_credential',
      );
    });
  });

  describe('GET /auth/me', () => {
    it('returns the signed-in user and their projects, with a JWT and no project', async () => {
      const a = await registerTenant(http, 'me');
      const token = await login(http, a.email);
      const res = await http.get('/api/v1/auth/me').set(asUser(token));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: a.userId,
        email: a.email.toLowerCase(),
        name: 'me owner',
        status: 'active',
        createdAt: expect.any(String),
        projects: [{ projectId: a.projectId, tenantId: a.tenantId, projectName: 'Default', role: 'admin' }],
      });
      expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
    });

    it('needs a user token: an API key or nothing answers 401', async () => {
      const a = await registerTenant(http, 'me-key');
      expectProblem(await http.get('/api/v1/auth/me').set(a.auth), 401);
      expectProblem(await http.get('/api/v1/auth/me'), 401);
      expectProblem(await http.get('/api/v1/auth/me').set('Authorization', 'Bearer a.b.c'), 401);
    });
  });

  describe('API keys', () => {
    let a: Tenant;
    beforeAll(async () => (a = await registerTenant(http, 'keys')));

    it('returns the secret once; the list never shows it; revoking makes the key answer 401', async () => {
      const created = await http.post('/api/v1/api-keys').set(a.auth).send({ name: ' CI importer ' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'CI importer',
        prefix: expect.any(String),
        userId: a.userId,
        expiresAt: null,
        lastUsedAt: null,
        createdAt: expect.any(String),
        key: expect.stringMatching(/^crm_/),
      });
      const secret: string = created.body.key;
      expect(secret.startsWith(created.body.prefix)).toBe(true);
      expect(secret).not.toBe(a.apiKey);
      const auth = { Authorization: `Bearer ${secret}` };
      expect((await http.get('/api/v1/contacts').set(auth)).status).toBe(200);

      const list = await http.get('/api/v1/api-keys').set(auth);
      expect(list.status).toBe(200);
      expect(list.body.nextCursor).toBeNull();
      expect(list.body.data.map((k: { id: string }) => k.id)).toEqual(expect.arrayContaining([created.body.id]));
      expect(list.body.data).toHaveLength(2);
      for (const key of list.body.data) {
        expect(Object.keys(key).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'userId']);
      }
      const raw = JSON.stringify(list.body);
      expect(raw).not.toContain(secret);
      expect(raw).not.toContain(a.apiKey);
      expect(raw).not.toMatch(/hash/i);

      const revoked = await http.delete(`/api/v1/api-keys/${created.body.id}`).set(a.auth);
      expect(revoked.status).toBe(204);
      expect(revoked.text).toBe('');
      expectProblem(await http.get('/api/v1/contacts').set(auth), 401, 'auth.invalid_credential');
      expectProblem(await http.post('/api/v1/contacts').set(auth).send({ name: 'ghost' }), 401);
      const after = await http.get('/api/v1/api-keys').set(a.auth);
      expect(after.body.data.map((k: { id: string }) => k.id)).not.toContain(created.body.id);
      // The other key of the project is untouched.
      expect((await http.get('/api/v1/contacts').set(a.auth)).status).toBe(200);
    });

    it('revoking an unknown, already revoked or foreign key answers 404; a malformed id 400', async () => {
      const created = await http.post('/api/v1/api-keys').set(a.auth).send({ name: 'temp' });
      expect((await http.delete(`/api/v1/api-keys/${created.body.id}`).set(a.auth)).status).toBe(204);
      expectProblem(await http.delete(`/api/v1/api-keys/${created.body.id}`).set(a.auth), 404, 'api_key.not_found');
      expectProblem(await http.delete(`/api/v1/api-keys/${randomUUID()}`).set(a.auth), 404, 'api_key.not_found');
      expectProblem(await http.delete('/api/v1/api-keys/not-a-uuid').set(a.auth), 400);

      const b = await registerTenant(http, 'keys-other');
      const bKeys = await http.get('/api/v1/api-keys').set(b.auth);
      const bKeyId = bKeys.body.data[0].id;
      expectProblem(await http.delete(`/api/v1/api-keys/${bKeyId}`).set(a.auth), 404, 'api_key.not_found');
      expect((await http.get('/api/v1/contacts').set(b.auth)).status).toBe(200);
    });

    it('honours an expiry date and validates the body', async () => {
      const future = new Date(Date.now() + 86_400_000).toISOString();
      const created = await http.post('/api/v1/api-keys').set(a.auth).send({ name: 'expiring', expiresAt: future });
      expect(created.status).toBe(201);
      expect(created.body.expiresAt).toBe(future);
      expect((await http.get('/api/v1/contacts').set({ Authorization: `Bearer ${created.body.key}` })).status).toBe(200);

      expectValidationErrors(await http.post('/api/v1/api-keys').set(a.auth).send({}), ['name']);
      expectValidationErrors(
        await http
          .post('/api/v1/api-keys')
          .set(a.auth)
          .send({ name: 'x'.repeat(101) }),
        ['name'],
      );
      expectValidationErrors(await http.post('/api/v1/api-keys').set(a.auth).send({ name: 'k', expiresAt: 'tomorrow' }), ['expiresAt']);
      expectValidationErrors(await http.post('/api/v1/api-keys').set(a.auth).send({ name: 'k', projectId: randomUUID() }), ['projectId']);
    });
  });

  describe('members', () => {
    let admin: Tenant;
    let other: Tenant;
    let adminMemberId: string;
    beforeAll(async () => {
      admin = await registerTenant(http, 'members-admin');
      other = await registerTenant(http, 'members-other');
      const list = await http.get('/api/v1/members').set(admin.auth);
      adminMemberId = list.body.data[0].id;
    });

    it('adds a registered user by email; as readonly they can read contacts but not write them', async () => {
      const seed = await http.post('/api/v1/contacts').set(admin.auth).send({ name: 'Seen by readonly' });
      expect(seed.status).toBe(201);

      // Adding a member is an invitation now: the answer names no user, and nothing changes until they accept.
      const added = await http.post('/api/v1/members').set(admin.auth).send({ email: other.email.toUpperCase(), role: 'readonly' });
      expect(added.status).toBe(201);
      expect(added.headers.etag).toBe('"1"');
      expect(added.body).toEqual({
        id: expect.any(String),
        projectId: admin.projectId,
        email: other.email.toLowerCase(),
        role: 'readonly',
        status: 'pending',
        invitedBy: admin.userId,
        expiresAt: expect.any(String),
        createdAt: expect.any(String),
        version: 1,
      });
      expect((await http.get('/api/v1/members').set(admin.auth)).body.data.map((m: { userId: string }) => m.userId)).toEqual([
        admin.userId,
      ]);
      const invitee = await login(http, other.email);
      expect((await http.post(`/api/v1/invitations/${added.body.id}/accept`).set(asUser(invitee))).status).toBe(200);
      const joined = await http.get('/api/v1/members').set(admin.auth);
      expect(joined.body.data.find((m: { userId: string }) => m.userId === other.userId)).toEqual({
        id: expect.any(String),
        userId: other.userId,
        email: other.email.toLowerCase(),
        name: 'members-other owner',
        role: 'readonly',
        invitedBy: admin.userId,
        invitedAt: expect.any(String),
        version: 1,
      });
      expectProblem(
        await http.post('/api/v1/members').set(admin.auth).send({ email: other.email, role: 'user' }),
        409,
        'project_member.duplicate',
      );

      const token = await login(http, other.email);
      const me = await http.get('/api/v1/auth/me').set(asUser(token));
      expect(me.body.projects).toEqual(
        expect.arrayContaining([
          { projectId: admin.projectId, tenantId: admin.tenantId, projectName: 'Default', role: 'readonly' },
          { projectId: other.projectId, tenantId: other.tenantId, projectName: 'Default', role: 'admin' },
        ]),
      );
      const read = await http.get('/api/v1/contacts').set(asUser(token, admin.projectId));
      expect(read.status).toBe(200);
      expect(read.body.data.map((c: { id: string }) => c.id)).toContain(seed.body.id);
      expect((await http.get(`/api/v1/contacts/${seed.body.id}`).set(asUser(token, admin.projectId))).status).toBe(200);

      expectProblem(
        await http.post('/api/v1/contacts').set(asUser(token, admin.projectId)).send({ name: 'nope' }),
        403,
        'auth.insufficient_role',
      );
      expectProblem(await http.patch(`/api/v1/contacts/${seed.body.id}`).set(asUser(token, admin.projectId)).send({ name: 'nope' }), 403);
      expectProblem(await http.delete(`/api/v1/contacts/${seed.body.id}`).set(asUser(token, admin.projectId)), 403);
      expectProblem(
        await http.post('/api/v1/members').set(asUser(token, admin.projectId)).send({ email: admin.email, role: 'admin' }),
        403,
      );
      expectProblem(await http.post('/api/v1/projects').set(asUser(token, admin.projectId)).send({ name: 'Mine now' }), 403);
      expect((await http.get(`/api/v1/contacts/${seed.body.id}`).set(admin.auth)).body.name).toBe('Seen by readonly');

      // In their own tenant they are still admin; the readonly role does not leak across projects.
      expect((await http.post('/api/v1/contacts').set(asUser(token, other.projectId)).send({ name: 'own' })).status).toBe(201);

      // Readonly members cannot create API keys (issue 5), and a non-admin sees only their own keys: none.
      expectProblem(
        await http.post('/api/v1/api-keys').set(asUser(token, admin.projectId)).send({ name: 'readonly key' }),
        403,
        'auth.insufficient_role',
      );
      const keys = await http.get('/api/v1/api-keys').set(asUser(token, admin.projectId));
      expect(keys.body.data).toEqual([]);
    });

    it('changes a role with If-Match: a stale ETag answers 412, a stale body version 409', async () => {
      const list = await http.get('/api/v1/members').set(admin.auth);
      const member = list.body.data.find((m: { userId: string }) => m.userId === other.userId);
      const current = await http.get(`/api/v1/members/${member.id}`).set(admin.auth);
      expect(current.status).toBe(200);
      const etag = current.headers.etag;
      expect(etag).toBe(`"${member.version}"`);

      const changed = await http.patch(`/api/v1/members/${member.id}`).set(admin.auth).set('If-Match', etag).send({ role: 'user' });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ role: 'user', version: member.version + 1 });
      expect(changed.headers.etag).toBe(`"${member.version + 1}"`);

      const stale = await http.patch(`/api/v1/members/${member.id}`).set(admin.auth).set('If-Match', etag).send({ role: 'manager' });
      expectProblem(stale, 412, 'precondition_failed');
      const staleBody = await http.patch(`/api/v1/members/${member.id}`).set(admin.auth).send({ role: 'manager', version: member.version });
      expectProblem(staleBody, 409, 'version_conflict');
      expect((await http.get(`/api/v1/members/${member.id}`).set(admin.auth)).body.role).toBe('user');
      expectProblem(
        await http.patch(`/api/v1/members/${member.id}`).set(admin.auth).set('If-Match', 'garbage').send({ role: 'manager' }),
        400,
      );
      expectValidationErrors(await http.patch(`/api/v1/members/${member.id}`).set(admin.auth).send({ role: 'owner' }), ['role']);
      expectProblem(await http.patch(`/api/v1/members/${randomUUID()}`).set(admin.auth).send({ role: 'user' }), 404);

      // The new role applies to the very next request of the same token.
      const token = await login(http, other.email);
      expect((await http.post('/api/v1/contacts').set(asUser(token, admin.projectId)).send({ name: 'now allowed' })).status).toBe(201);
    });

    it('keeps the last admin: demoting or removing them answers 409', async () => {
      expectProblem(
        await http.patch(`/api/v1/members/${adminMemberId}`).set(admin.auth).send({ role: 'manager' }),
        409,
        'project_member.last_admin',
      );
      expectProblem(await http.delete(`/api/v1/members/${adminMemberId}`).set(admin.auth), 409, 'project_member.last_admin');
      expect((await http.get(`/api/v1/members/${adminMemberId}`).set(admin.auth)).body.role).toBe('admin');

      // With a second admin, the first may be demoted; then the second is the last one.
      const list = await http.get('/api/v1/members').set(admin.auth);
      const second = list.body.data.find((m: { userId: string }) => m.userId === other.userId);
      expect((await http.patch(`/api/v1/members/${second.id}`).set(admin.auth).send({ role: 'admin' })).status).toBe(200);
      const token = await login(http, other.email);
      const secondAuth = asUser(token, admin.projectId);
      const demoted = await http.patch(`/api/v1/members/${adminMemberId}`).set(secondAuth).send({ role: 'manager' });
      expect(demoted.status).toBe(200);
      expect(demoted.body.role).toBe('manager');
      expectProblem(
        await http.patch(`/api/v1/members/${second.id}`).set(secondAuth).send({ role: 'user' }),
        409,
        'project_member.last_admin',
      );
      expectProblem(await http.delete(`/api/v1/members/${second.id}`).set(secondAuth), 409, 'project_member.last_admin');
      // Restore the original admin for the tests that follow.
      expect((await http.patch(`/api/v1/members/${adminMemberId}`).set(secondAuth).send({ role: 'admin' })).status).toBe(200);
    });

    it('removes a member: their token and keys lose the project', async () => {
      const list = await http.get('/api/v1/members').set(admin.auth);
      const member = list.body.data.find((m: { userId: string }) => m.userId === other.userId);
      const token = await login(http, other.email);
      const key = await http.post('/api/v1/api-keys').set(asUser(token, admin.projectId)).send({ name: 'soon gone' });
      expect(key.status).toBe(201);
      expect((await http.delete(`/api/v1/members/${member.id}`).set(admin.auth)).status).toBe(204);
      expectProblem(await http.get('/api/v1/contacts').set(asUser(token, admin.projectId)), 404);
      expectProblem(await http.get('/api/v1/contacts').set({ Authorization: `Bearer ${key.body.key}` }), 401);
      expectProblem(await http.get(`/api/v1/members/${member.id}`).set(admin.auth), 404);
      const after = await http.get('/api/v1/members').set(admin.auth);
      expect(after.body.data.map((m: { userId: string }) => m.userId)).toEqual([admin.userId]);
      // They can be added (invited) again.
      expect((await http.post('/api/v1/members').set(admin.auth).send({ email: other.email, role: 'user' })).status).toBe(201);
    });

    it('invites an email nobody registered just the same (201), answers 400 for a bad body, and 404 across tenants', async () => {
      const ghost = await http
        .post('/api/v1/members')
        .set(admin.auth)
        .send({ email: uniqueEmail('ghost'), role: 'user' });
      expect(ghost.status).toBe(201);
      expect(Object.keys(ghost.body).sort()).toEqual([
        'createdAt',
        'email',
        'expiresAt',
        'id',
        'invitedBy',
        'projectId',
        'role',
        'status',
        'version',
      ]);
      expectValidationErrors(await http.post('/api/v1/members').set(admin.auth).send({ email: 'nope', role: 'god' }), ['email', 'role']);
      expectProblem(await http.get(`/api/v1/members/${adminMemberId}`).set(other.auth), 404);
      expectProblem(await http.patch(`/api/v1/members/${adminMemberId}`).set(other.auth).send({ role: 'readonly' }), 404);
      expectProblem(await http.delete(`/api/v1/members/${adminMemberId}`).set(other.auth), 404);
      expect((await http.get(`/api/v1/members/${adminMemberId}`).set(admin.auth)).body.role).toBe('admin');
    });
  });

  describe('projects', () => {
    let a: Tenant;
    beforeAll(async () => (a = await registerTenant(http, 'projects')));

    it('creates, reads, updates with If-Match, deletes (then 404) and restores a project', async () => {
      const created = await http
        .post('/api/v1/projects')
        .set(a.auth)
        .send({ name: ' Second ', description: 'B2B', sessionTimeoutMinutes: 60 });
      expect(created.status).toBe(201);
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toMatchObject({
        id: expect.any(String),
        name: 'Second',
        description: 'B2B',
        sessionTimeoutMinutes: 60,
        active: true,
        createdBy: a.userId,
        version: 1,
        deletedAt: null,
      });
      const id = created.body.id;

      const got = await http.get(`/api/v1/projects/${id}`).set(a.auth);
      expect(got.status).toBe(200);
      expect(got.headers.etag).toBe('"1"');
      expect(got.body).toMatchObject({ id, name: 'Second', role: 'admin' });
      const listed = await http.get('/api/v1/projects').set(a.auth);
      expect(listed.body.data.map((p: { id: string }) => p.id).sort()).toEqual([a.projectId, id].sort());

      const patched = await http
        .patch(`/api/v1/projects/${id}`)
        .set(a.auth)
        .set('If-Match', '"1"')
        .send({ description: null, name: 'Second project' });
      expect(patched.status).toBe(200);
      expect(patched.headers.etag).toBe('"2"');
      expect(patched.body).toMatchObject({ name: 'Second project', description: null, version: 2 });
      expectProblem(await http.patch(`/api/v1/projects/${id}`).set(a.auth).set('If-Match', '"1"').send({ name: 'Stale' }), 412);
      expectProblem(await http.patch(`/api/v1/projects/${id}`).set(a.auth).send({ name: 'Stale', version: 1 }), 409, 'version_conflict');
      expectProblem(await http.patch(`/api/v1/projects/${id}`).set(a.auth).set('If-Match', 'W/"x"').send({ name: 'Bad' }), 400);
      expect((await http.get(`/api/v1/projects/${id}`).set(a.auth)).body.name).toBe('Second project');

      // The creator became its admin: a user token can select it.
      const token = await login(http, a.email);
      expect((await http.get('/api/v1/contacts').set(asUser(token, id))).status).toBe(200);

      expectProblem(await http.delete(`/api/v1/projects/${id}`).set(a.auth).set('If-Match', '"1"'), 412);
      const deleted = await http.delete(`/api/v1/projects/${id}`).set(a.auth).set('If-Match', '"2"');
      expect(deleted.status).toBe(204);
      expectProblem(await http.get(`/api/v1/projects/${id}`).set(a.auth), 404, 'project.not_found');
      expect((await http.get('/api/v1/projects').set(a.auth)).body.data.map((p: { id: string }) => p.id)).toEqual([a.projectId]);
      expectProblem(await http.get('/api/v1/contacts').set(asUser(token, id)), 404);
      expectProblem(await http.delete(`/api/v1/projects/${id}`).set(a.auth), 404);

      const restored = await http.post(`/api/v1/projects/${id}/restore`).set(a.auth);
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ id, name: 'Second project', deletedAt: null, version: 4 });
      expect(restored.headers.etag).toBe('"4"');
      expect((await http.get(`/api/v1/projects/${id}`).set(a.auth)).status).toBe(200);
      expect((await http.get('/api/v1/contacts').set(asUser(token, id))).status).toBe(200);
      expectProblem(await http.post(`/api/v1/projects/${id}/restore`).set(a.auth), 404);
    });

    it('keeps the names unique in a tenant and refuses to delete the project of the credential', async () => {
      expect((await http.post('/api/v1/projects').set(a.auth).send({ name: 'Unique' })).status).toBe(201);
      expectProblem(await http.post('/api/v1/projects').set(a.auth).send({ name: 'unique' }), 409, 'project.duplicate_name');
      const b = await registerTenant(http, 'projects-b');
      expect((await http.post('/api/v1/projects').set(b.auth).send({ name: 'Unique' })).status).toBe(201);
      expectProblem(await http.delete(`/api/v1/projects/${a.projectId}`).set(a.auth), 409, 'project.in_use');
      expectValidationErrors(await http.post('/api/v1/projects').set(a.auth).send({ name: '' }), ['name']);
      expectValidationErrors(
        await http.post('/api/v1/projects').set(a.auth).send({ name: 'X', sessionTimeoutMinutes: 0, tenantId: randomUUID() }),
        ['sessionTimeoutMinutes', 'tenantId'],
      );
      expectProblem(await http.get('/api/v1/projects/not-a-uuid').set(a.auth), 400);
    });

    it("answers 404 for another tenant's project and 403 to a non-admin creating one", async () => {
      const b = await registerTenant(http, 'projects-c');
      expectProblem(await http.get(`/api/v1/projects/${a.projectId}`).set(b.auth), 404);
      expectProblem(await http.patch(`/api/v1/projects/${a.projectId}`).set(b.auth).send({ name: 'Taken over' }), 404);
      expectProblem(await http.delete(`/api/v1/projects/${a.projectId}`).set(b.auth), 404);
      expectProblem(await http.post(`/api/v1/projects/${a.projectId}/restore`).set(b.auth), 404);
      expect((await http.get(`/api/v1/projects/${a.projectId}`).set(a.auth)).body.name).toBe('Default');

      await invitedAndAccepted(http, a, b.email, b.password, 'manager');
      const token = await login(http, b.email);
      const manager = asUser(token, a.projectId);
      expectProblem(await http.post('/api/v1/projects').set(manager).send({ name: 'By a manager' }), 403, 'auth.insufficient_role');
      expectProblem(await http.patch(`/api/v1/projects/${a.projectId}`).set(manager).send({ name: 'Renamed' }), 403);
      expect((await http.get(`/api/v1/projects/${a.projectId}`).set(manager)).status).toBe(200);
    });
  });

  describe('review fixes', () => {
    let a: Tenant;
    beforeAll(async () => (a = await registerTenant(http, 'fixes')));

    it('answers null for fields that cannot be null with 400, never 500', async () => {
      const project = (
        await http
          .post('/api/v1/projects')
          .set(a.auth)
          .send({ name: `Nullable ${randomUUID()}` })
          .expect(201)
      ).body;
      for (const body of [{ name: null }, { active: null }, { configuration: null }, { sessionTimeoutMinutes: null }, { version: null }]) {
        expectProblem(await http.patch(`/api/v1/projects/${project.id}`).set(a.auth).send(body), 400);
      }
      const list = (await http.post('/api/v1/contact-lists').set(a.auth).send({ name: 'L' }).expect(201)).body;
      expectProblem(await http.patch(`/api/v1/contact-lists/${list.id}`).set(a.auth).send({ name: null }), 400);
      expectProblem(await http.post('/api/v1/api-keys').set(a.auth).send({ name: 'k', expiresAt: '+275760-09-13T00:00:00.000Z' }), 400);
      expectProblem(await http.post('/api/v1/api-keys').set(a.auth).send({ name: 'k', expiresAt: '2001-01-01T00:00:00Z' }), 400);
    });

    it('never stores an API key secret for an Idempotency-Key: each call makes its own key', async () => {
      const first = await http.post('/api/v1/api-keys').set(a.auth).set('Idempotency-Key', 'key-once').send({ name: 'once' }).expect(201);
      const second = await http.post('/api/v1/api-keys').set(a.auth).set('Idempotency-Key', 'key-once').send({ name: 'once' }).expect(201);
      expect(second.body.id).not.toBe(first.body.id);
      expect(second.headers['idempotent-replayed']).toBeUndefined();
    });

    it('scopes an Idempotency-Key to the project the user token selects', async () => {
      const other = (
        await http
          .post('/api/v1/projects')
          .set(a.auth)
          .send({ name: `Second ${randomUUID()}` })
          .expect(201)
      ).body;
      const login = await http.post('/api/v1/auth/login').send({ email: a.email, password: a.password }).expect(200);
      const as = (projectId: string) => ({ Authorization: `Bearer ${login.body.accessToken}`, 'X-Project-Id': projectId });
      const inFirst = await http
        .post('/api/v1/contacts')
        .set(as(a.projectId))
        .set('Idempotency-Key', 'same')
        .send({ name: 'Twin' })
        .expect(201);
      const inSecond = await http
        .post('/api/v1/contacts')
        .set(as(other.id))
        .set('Idempotency-Key', 'same')
        .send({ name: 'Twin' })
        .expect(201);
      expect(inSecond.body.id).not.toBe(inFirst.body.id);
      const listed = await http.get('/api/v1/contacts').set(as(other.id)).expect(200);
      expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual([inSecond.body.id]);
    });
  });
});

describe('rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ relay: false, env: { RATE_LIMIT_PER_MINUTE: '5' } })));
  afterAll(() => t.close());

  it('limits each credential on its own: the 6th request of a key answers 429, another key still 200', async () => {
    const a = await registerTenant(t.http, 'rate-a');
    const b = await registerTenant(t.http, 'rate-b');
    for (let i = 1; i <= 5; i++) {
      const res = await t.http.get('/api/v1/contacts').set(a.auth);
      expect({ i, status: res.status }).toEqual({ i, status: 200 });
    }
    const limited = await t.http.get('/api/v1/contacts').set(a.auth);
    expectProblem(limited, 429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.http.get('/api/v1/contacts').set(b.auth)).status).toBe(200);
  });

  it('counts all the routes a credential calls against one budget', async () => {
    const c = await registerTenant(t.http, 'rate-c');
    const calls = [
      () => t.http.get('/api/v1/contacts').set(c.auth),
      () => t.http.get('/api/v1/contact-lists').set(c.auth),
      () => t.http.get('/api/v1/members').set(c.auth),
      () => t.http.get('/api/v1/api-keys').set(c.auth),
      () => t.http.post('/api/v1/contacts').set(c.auth).send({ name: 'counted' }),
    ];
    for (const call of calls) expect((await call()).status).toBeLessThan(300);
    expectProblem(await t.http.get('/api/v1/projects').set(c.auth), 429);
  });
});
