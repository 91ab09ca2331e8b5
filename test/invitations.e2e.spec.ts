import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Response } from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { appTarget, parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { TransactionRunner } from '#persistence/transaction-runner';
import { IDENTITY_API, IdentityApi } from '../src/contexts/identity/identity.api';
import { Tenant, TestApp, registerTenant, startTestApp } from './support/test-app';

/** Issue 5 §5: members join by invitation, with their consent; nothing tells an admin whether an email is registered. */

function expectProblem(res: Response, status: number, code?: string): void {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code: code ?? res.body.code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}

let seq = 0;
const uniqueEmail = (label: string) => `${label}-${process.pid}-${Date.now()}-${++seq}@example.com`;

async function token(http: TestAgent, who: Tenant): Promise<Record<string, string>> {
  const res = await http.post('/api/v1/auth/login').send({ email: who.email, password: who.password }).expect(200);
  return { Authorization: `Bearer ${res.body.accessToken}` };
}

const memberIds = async (http: TestAgent, admin: Tenant): Promise<string[]> =>
  (await http.get('/api/v1/members').set(admin.auth).expect(200)).body.data.map((m: { userId: string }) => m.userId);

describe('invitations', () => {
  let t: TestApp;
  let http: TestAgent;
  let owner: Client;
  let admin: Tenant;
  let invitee: Tenant;
  let stranger: Tenant;
  beforeAll(async () => {
    t = await startTestApp();
    http = t.http;
    owner = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await owner.connect();
    admin = await registerTenant(http, 'inv-admin');
    invitee = await registerTenant(http, 'inv-invitee');
    stranger = await registerTenant(http, 'inv-stranger');
  });
  afterAll(async () => {
    await owner.end();
    await t.close();
  });

  it('answers the same for a registered and an unknown email, and names nobody', async () => {
    const known = await http.post('/api/v1/members').set(admin.auth).send({ email: invitee.email.toUpperCase(), role: 'user' });
    const unknown = await http
      .post('/api/v1/members')
      .set(admin.auth)
      .send({ email: uniqueEmail('nobody'), role: 'user' });
    for (const res of [known, unknown]) {
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(Object.keys(res.body).sort()).toEqual([
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
      expect(res.body).toMatchObject({ projectId: admin.projectId, role: 'user', status: 'pending', invitedBy: admin.userId, version: 1 });
      expect(JSON.stringify(res.body)).not.toContain('owner'); // the invitee's name
    }
    expect(known.body.email).toBe(invitee.email.toLowerCase());
    const days = (Date.parse(known.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    // Nobody joined: the other tenant's user is not in the members list before accepting.
    expect(await memberIds(http, admin)).toEqual([admin.userId]);
    expectProblem(
      await http.post('/api/v1/members').set(admin.auth).send({ email: invitee.email, role: 'admin' }),
      409,
      'invitation.duplicate',
    );
  });

  it('lists the invitee’s pending invitations across tenants; accepting makes them a member with the role, by an event of the aggregate', async () => {
    const auth = await token(http, invitee);
    const list = await http.get('/api/v1/invitations').set(auth);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      data: [
        {
          id: expect.any(String),
          tenantId: admin.tenantId,
          tenantName: expect.stringMatching(/^inv-admin /),
          projectId: admin.projectId,
          projectName: 'Default',
          role: 'user',
          expiresAt: expect.any(String),
          createdAt: expect.any(String),
        },
      ],
      nextCursor: null,
    });
    const id = list.body.data[0].id;
    // An API key (even the invitee's own) is not a user token.
    expectProblem(await http.get('/api/v1/invitations').set(invitee.auth), 401);
    expectProblem(await http.post(`/api/v1/invitations/${id}/accept`).set(invitee.auth), 401);

    const accepted = await http.post(`/api/v1/invitations/${id}/accept`).set(auth);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ projectId: admin.projectId, tenantId: admin.tenantId, projectName: 'Default', role: 'user' });
    expect(await memberIds(http, admin)).toEqual(expect.arrayContaining([admin.userId, invitee.userId]));
    expect((await http.get('/api/v1/contacts').set({ ...auth, 'X-Project-Id': admin.projectId })).status).toBe(200);
    expect((await http.get('/api/v1/invitations').set(auth)).body.data).toEqual([]);
    expectProblem(await http.post(`/api/v1/invitations/${id}/accept`).set(auth), 409, 'invitation.not_pending');
    expectProblem(await http.post(`/api/v1/invitations/${id}/decline`).set(auth), 409, 'invitation.not_pending');
    expectProblem(
      await http.post('/api/v1/members').set(admin.auth).send({ email: invitee.email, role: 'user' }),
      409,
      'project_member.duplicate',
    );

    const events = await owner.query<{ event_type: string; aggregate_type: string; tenant_id: string }>(
      `SELECT event_type, aggregate_type, tenant_id FROM outbox_events WHERE aggregate_id = $1 ORDER BY sequence`,
      [id],
    );
    expect(events.rows).toEqual([
      { event_type: 'project_invitation.created', aggregate_type: 'project_invitation', tenant_id: admin.tenantId },
      { event_type: 'project_invitation.accepted', aggregate_type: 'project_invitation', tenant_id: admin.tenantId },
    ]);
    const added = await owner.query(
      `SELECT event_data FROM outbox_events WHERE event_type = 'project_member.added' AND tenant_id = $1 AND event_data->>'userId' = $2`,
      [admin.tenantId, invitee.userId],
    );
    expect(added.rows).toHaveLength(1);

    // Other contexts ask through the port, within their tenant: another tenant's project answers undefined.
    const api = t.app.get<IdentityApi>(IDENTITY_API);
    const tx = t.app.get(TransactionRunner);
    await tx.runAsTenant(admin.tenantId, async () => {
      expect(await api.memberOfProject(admin.projectId, invitee.userId)).toEqual({ role: 'user' });
      expect(await api.memberOfProject(admin.projectId, stranger.userId)).toBeUndefined();
      expect(await api.projectSettings(admin.projectId)).toEqual({ sessionTimeoutMinutes: 30, active: true });
    });
    await tx.runAsTenant(stranger.tenantId, async () => {
      expect(await api.memberOfProject(admin.projectId, invitee.userId)).toBeUndefined();
      expect(await api.projectSettings(admin.projectId)).toBeUndefined();
    });
  });

  it('answers 404 to anyone but the invitee, exactly like a missing id (another tenant’s invitation too)', async () => {
    const invited = await http
      .post('/api/v1/members')
      .set(admin.auth)
      .send({ email: uniqueEmail('someone'), role: 'readonly' })
      .expect(201);
    const auth = await token(http, stranger);
    const missing = await http.post(`/api/v1/invitations/${randomUUID()}/accept`).set(auth);
    expectProblem(missing, 404, 'invitation.not_found');
    for (const answer of ['accept', 'decline']) {
      const res = await http.post(`/api/v1/invitations/${invited.body.id}/${answer}`).set(auth);
      expectProblem(res, 404, 'invitation.not_found');
      expect(res.body.title).toBe(missing.body.title);
      expect(res.body.detail).toBe(missing.body.detail.replace(/[0-9a-f-]{36}/, invited.body.id));
    }
    // The admin's own token cannot answer it either: it is addressed to someone else.
    expectProblem(await http.post(`/api/v1/invitations/${invited.body.id}/accept`).set(await token(http, admin)), 404);
    expectProblem(await http.post('/api/v1/invitations/not-a-uuid/accept').set(auth), 400);
    expect(await memberIds(http, admin)).not.toContain(stranger.userId);
    expect((await http.get('/api/v1/invitations').set(auth)).body.data).toEqual([]);
  });

  it('declines: nothing joins, and the invitation is gone from the list', async () => {
    const b = await registerTenant(http, 'inv-decliner');
    const invited = await http.post('/api/v1/members').set(admin.auth).send({ email: b.email, role: 'manager' }).expect(201);
    const auth = await token(http, b);
    expect((await http.get('/api/v1/invitations').set(auth)).body.data.map((i: { id: string }) => i.id)).toEqual([invited.body.id]);
    const declined = await http.post(`/api/v1/invitations/${invited.body.id}/decline`).set(auth);
    expect(declined.status).toBe(204);
    expect((await http.get('/api/v1/invitations').set(auth)).body.data).toEqual([]);
    expectProblem(await http.post(`/api/v1/invitations/${invited.body.id}/accept`).set(auth), 409, 'invitation.not_pending');
    expect(await memberIds(http, admin)).not.toContain(b.userId);
  });

  it('lets the project’s admins list and withdraw invitations; another tenant’s invitation id answers 404', async () => {
    const d = await registerTenant(http, 'inv-withdrawn');
    const invited = await http.post('/api/v1/members').set(admin.auth).send({ email: d.email, role: 'user' }).expect(201);
    const listed = await http.get('/api/v1/project-invitations').set(admin.auth).expect(200);
    expect(listed.body.nextCursor).toBeNull();
    expect(listed.body.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: invited.body.id, status: 'pending', email: d.email.toLowerCase() })]),
    );
    expect(listed.body.data.every((i: { status: string }) => ['pending', 'expired'].includes(i.status))).toBe(true);
    // Another tenant's admin: not in their list, and 404 like a missing id.
    expect((await http.get('/api/v1/project-invitations').set(stranger.auth).expect(200)).body.data).toEqual([]);
    expectProblem(await http.delete(`/api/v1/project-invitations/${invited.body.id}`).set(stranger.auth), 404, 'invitation.not_found');
    expectProblem(await http.delete(`/api/v1/project-invitations/${randomUUID()}`).set(admin.auth), 404, 'invitation.not_found');
    expectProblem(await http.delete(`/api/v1/project-invitations/${invited.body.id}`).set(admin.auth).set('If-Match', '"7"'), 412);

    expect((await http.delete(`/api/v1/project-invitations/${invited.body.id}`).set(admin.auth).set('If-Match', '"1"')).status).toBe(204);
    expectProblem(await http.delete(`/api/v1/project-invitations/${invited.body.id}`).set(admin.auth), 409, 'invitation.not_pending');
    const auth = await token(http, d);
    expect((await http.get('/api/v1/invitations').set(auth)).body.data).toEqual([]);
    expectProblem(await http.post(`/api/v1/invitations/${invited.body.id}/accept`).set(auth), 409, 'invitation.not_pending');
    expect(await memberIds(http, admin)).not.toContain(d.userId);
    // Only admins manage them.
    await http.post('/api/v1/members').set(admin.auth).send({ email: d.email, role: 'readonly' }).expect(201);
    const joined = (await http.get('/api/v1/invitations').set(auth)).body.data[0];
    await http.post(`/api/v1/invitations/${joined.id}/accept`).set(auth).expect(200);
    expectProblem(
      await http.get('/api/v1/project-invitations').set({ ...auth, 'X-Project-Id': admin.projectId }),
      403,
      'auth.insufficient_role',
    );
  });

  it('shows an invitation to whoever registers the invited email later', async () => {
    const later = uniqueEmail('later');
    const invited = await http.post('/api/v1/members').set(admin.auth).send({ email: later, role: 'readonly' }).expect(201);
    const password = 'a later password';
    const reg = await http
      .post('/api/v1/auth/register')
      .send({ email: later, password, name: 'Later', tenantName: 'Later Ltd' })
      .expect(201);
    const login = await http.post('/api/v1/auth/login').send({ email: later, password }).expect(200);
    const auth = { Authorization: `Bearer ${login.body.accessToken}` };
    expect((await http.get('/api/v1/invitations').set(auth)).body.data.map((i: { id: string }) => i.id)).toEqual([invited.body.id]);
    expect((await http.post(`/api/v1/invitations/${invited.body.id}/accept`).set(auth)).status).toBe(200);
    expect(await memberIds(http, admin)).toContain(reg.body.user.id);
  });

  it('expires: an expired invitation is not listed, cannot be accepted (409), and a new one may be sent', async () => {
    const c = await registerTenant(http, 'inv-late');
    const invited = await http.post('/api/v1/members').set(admin.auth).send({ email: c.email, role: 'user' }).expect(201);
    await owner.query(`UPDATE project_invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [invited.body.id]);
    const auth = await token(http, c);
    expect((await http.get('/api/v1/invitations').set(auth)).body.data).toEqual([]);
    expectProblem(await http.post(`/api/v1/invitations/${invited.body.id}/accept`).set(auth), 409, 'invitation.expired');
    expect(await memberIds(http, admin)).not.toContain(c.userId);
    const again = await http.post('/api/v1/members').set(admin.auth).send({ email: c.email, role: 'user' });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(invited.body.id);
    const { rows } = await owner.query(`SELECT status FROM project_invitations WHERE id = $1`, [invited.body.id]);
    expect(rows[0].status).toBe('expired');
    expect((await http.post(`/api/v1/invitations/${again.body.id}/accept`).set(auth)).status).toBe(200);
  });

  it('honours INVITATION_TTL_HOURS', async () => {
    const short = await startTestApp({ relay: false, env: { INVITATION_TTL_HOURS: '2' } });
    try {
      const a = await registerTenant(short.http, 'inv-ttl');
      const res = await short.http
        .post('/api/v1/members')
        .set(a.auth)
        .send({ email: uniqueEmail('ttl'), role: 'user' })
        .expect(201);
      const hours = (Date.parse(res.body.expiresAt) - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(1.9);
      expect(hours).toBeLessThanOrEqual(2);
    } finally {
      await short.close();
    }
  });

  it('keeps invitations under forced RLS: the application role sees its own tenant’s only', async () => {
    const app = new Client(toClientConfig(appTarget(parseDatabaseUrl(process.env.DATABASE_URL!), process.env.APP_DB_PASSWORD!)));
    await app.connect();
    const count = async (tenantId: string) => {
      await app.query('BEGIN');
      try {
        await app.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantId]);
        return (await app.query<{ n: number }>(`SELECT count(*)::int AS n FROM project_invitations`)).rows[0].n;
      } finally {
        await app.query('ROLLBACK');
      }
    };
    try {
      expect(await count(admin.tenantId)).toBeGreaterThan(0);
      expect(await count(stranger.tenantId)).toBe(0);
      expect((await app.query<{ n: number }>(`SELECT count(*)::int AS n FROM project_invitations`)).rows[0].n).toBe(0);
      await expect(app.query(`SELECT * FROM auth_pending_invitations($1)`, [invitee.userId])).rejects.toMatchObject({ code: '42501' });
    } finally {
      await app.end();
    }
  });
});

describe('deactivating projects', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ relay: false })));
  afterAll(() => t.close());

  it("refuses to deactivate the tenant's last active project (409); an admin re-activates a project", async () => {
    const a = await registerTenant(t.http, 'deactivate');
    const second = await t.http.post('/api/v1/projects').set(a.auth).send({ name: 'Second' }).expect(201);
    const off = await t.http.patch(`/api/v1/projects/${second.body.id}`).set(a.auth).send({ active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    const last = await t.http.patch(`/api/v1/projects/${a.projectId}`).set(a.auth).send({ active: false });
    expectProblem(last, 409, 'project.last_active');
    expect((await t.http.get(`/api/v1/projects/${a.projectId}`).set(a.auth)).body.active).toBe(true);

    const on = await t.http.patch(`/api/v1/projects/${second.body.id}`).set(a.auth).send({ active: true });
    expect(on.status).toBe(200);
    expect(on.body.active).toBe(true);
    // With another active project, the first may go (from a token of the second), and come back.
    const login = await t.http.post('/api/v1/auth/login').send({ email: a.email, password: a.password }).expect(200);
    const viaSecond = { Authorization: `Bearer ${login.body.accessToken}`, 'X-Project-Id': second.body.id };
    expect((await t.http.patch(`/api/v1/projects/${a.projectId}`).set(viaSecond).send({ active: false })).status).toBe(200);
    expectProblem(await t.http.get('/api/v1/contacts').set(a.auth), 401); // its API key stopped working
    expectProblem(
      await t.http.patch(`/api/v1/projects/${second.body.id}`).set(viaSecond).send({ active: false }),
      409,
      'project.last_active',
    );
    const back = await t.http.patch(`/api/v1/projects/${a.projectId}`).set(viaSecond).send({ active: true });
    expect(back.status).toBe(200);
    expect((await t.http.get('/api/v1/contacts').set(a.auth)).status).toBe(200);
  });
});
