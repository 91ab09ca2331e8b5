import { Client } from 'pg';
import { appTarget, parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

/** Tenant B must not read, list, change, delete or restore anything of tenant A's, nor detect that it exists. */
describe('tenant isolation', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    a = await registerTenant(t.http, 'iso-a');
    b = await registerTenant(t.http, 'iso-b');
    const post = (path: string, body: object) =>
      t.http
        .post(`/api/v1/${path}`)
        .set(a.auth)
        .send(body)
        .expect(201)
        .then((r) => r.body);
    ids.contact = (await post('contacts', { name: 'Secret', email: 'secret@a.test', phone: '+14155550100', tags: ['a-only'] })).id;
    ids.deletedContact = (await post('contacts', { name: 'Gone', email: 'gone@a.test' })).id;
    await t.http.delete(`/api/v1/contacts/${ids.deletedContact}`).set(a.auth).expect(204);
    ids.list = (await post('contact-lists', { name: 'A list' })).id;
    await t.http
      .post(`/api/v1/contact-lists/${ids.list}/contacts`)
      .set(a.auth)
      .send({ contactIds: [ids.contact] })
      .expect(200);
    ids.field = (await post('contact-custom-fields', { key: 'secret', label: 'Secret', type: 'text' })).id;
    ids.apiKey = (await post('api-keys', { name: 'second' })).id;
    ids.project = (await post('projects', { name: 'A second project' })).id;
    ids.member = (await t.http.get('/api/v1/members').set(a.auth).expect(200)).body.data[0].id;
    await eventually(async () => (await t.http.get(`/api/v1/contacts/${ids.contact}/timeline`).set(a.auth)).body.data?.length >= 2);
    ids.outboxEvent = (await t.http.get('/api/v1/outbox').set(a.auth).expect(200)).body.data[0].id;
  });
  afterAll(() => t.close());

  // Paths name A's resources as :contact, :list, ...; bodies may too.
  const attempts: [method: 'get' | 'patch' | 'delete' | 'post', path: string, body?: object][] = [
    ['get', 'contacts/:contact'],
    ['patch', 'contacts/:contact', { name: 'stolen' }],
    ['delete', 'contacts/:contact'],
    ['post', 'contacts/:deletedContact/restore'],
    ['get', 'contacts/:contact/timeline'],
    ['get', 'contacts/:contact/versions/1'],
    ['get', 'contact-lists/:list'],
    ['patch', 'contact-lists/:list', { name: 'stolen' }],
    ['delete', 'contact-lists/:list'],
    ['post', 'contact-lists/:list/restore'],
    ['get', 'contact-lists/:list/contacts'],
    ['post', 'contact-lists/:list/contacts', { contactIds: [':contact'] }],
    ['patch', 'contact-custom-fields/:field', { label: 'stolen' }],
    ['delete', 'contact-custom-fields/:field'],
    ['delete', 'api-keys/:apiKey'],
    ['get', 'members/:member'],
    ['patch', 'members/:member', { role: 'readonly' }],
    ['delete', 'members/:member'],
    ['get', 'projects/:project'],
    ['patch', 'projects/:project', { name: 'stolen' }],
    ['delete', 'projects/:project'],
    ['post', 'projects/:project/restore'],
    ['post', 'outbox/:outboxEvent/replay'],
  ];
  const fill = (text: string, missing = false) =>
    text.replace(/:(\w+)/g, (_m, name: string) => (missing ? '01a21290-0000-7000-8000-000000000000' : ids[name]));

  // Every row has three cells: a shorter row would make Jest pass a `done` callback as the body.
  it.each(attempts.map(([m, p, body]) => [m, p, body ?? {}] as const))(
    '%s /api/v1/%s answers 404 to another tenant, exactly like a missing id',
    async (method, path, body) => {
      const send = (missing: boolean) =>
        t.http[method](`/api/v1/${fill(path, missing)}`)
          .set(b.auth)
          .send(JSON.parse(fill(JSON.stringify(body), missing)));
      const res = await send(false);
      expect(res.status).toBe(404);
      const missing = await send(true);
      expect(missing.status).toBe(404);
      expect(res.body.title).toBe(missing.body.title);
      expect(JSON.stringify(res.body)).not.toMatch(/secret|Secret|a-only/);
    },
  );

  it('lists show none of the other tenant’s rows', async () => {
    const lists = [
      'contacts',
      'contacts?deleted=true',
      'contacts?q=secret',
      'contacts?tag=a-only',
      'contact-lists',
      'contact-custom-fields',
      'api-keys',
      'members',
      'projects',
      'outbox',
    ];
    for (const path of lists) {
      const res = await t.http.get(`/api/v1/${path}`).set(b.auth).expect(200);
      const text = JSON.stringify(res.body);
      for (const id of Object.values(ids)) expect(text).not.toContain(id);
      expect(text).not.toContain(a.tenantId);
    }
  });

  it('A was left untouched by every attempt', async () => {
    const contact = await t.http.get(`/api/v1/contacts/${ids.contact}`).set(a.auth).expect(200);
    expect(contact.body).toMatchObject({ name: 'Secret', version: 1 });
    await t.http.get(`/api/v1/contacts/${ids.deletedContact}`).set(a.auth).expect(404);
    await t.http.get(`/api/v1/contact-lists/${ids.list}`).set(a.auth).expect(200);
    await t.http.get(`/api/v1/projects/${ids.project}`).set(a.auth).expect(200);
    const keys = await t.http.get('/api/v1/api-keys').set(a.auth).expect(200);
    expect(keys.body.data.map((k: { id: string }) => k.id)).toContain(ids.apiKey);
  });

  it('a user token cannot select another tenant’s project', async () => {
    const login = await t.http.post('/api/v1/auth/login').send({ email: b.email, password: b.password }).expect(200);
    const res = await t.http
      .get('/api/v1/contacts')
      .set({ Authorization: `Bearer ${login.body.accessToken}`, 'X-Project-Id': a.projectId });
    expect(res.status).toBe(404);
  });

  describe('raw SQL as the application role', () => {
    let app: Client;
    let tenantTables: string[];

    beforeAll(async () => {
      const owner = parseDatabaseUrl(process.env.DATABASE_URL!);
      app = new Client(toClientConfig(appTarget(owner, process.env.APP_DB_PASSWORD!)));
      await app.connect();
      const { rows } = await app.query(
        `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'r' AND (c.relname = 'tenants'
             OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))
          ORDER BY 1`,
      );
      tenantTables = rows.map((r) => r.relname);
    });
    afterAll(() => app.end());

    it('sees no tenant rows at all without a tenant', async () => {
      expect(tenantTables.length).toBeGreaterThanOrEqual(14);
      for (const table of tenantTables) {
        const { rows } = await app.query(`SELECT count(*)::int AS n FROM ${table}`);
        expect({ table, n: rows[0].n }).toEqual({ table, n: 0 });
      }
    });

    it('sees only its own tenant with one, and cannot write into another', async () => {
      await app.query('BEGIN');
      try {
        await app.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [b.tenantId]);
        for (const table of tenantTables) {
          const column = table === 'tenants' ? 'id' : 'tenant_id';
          const { rows } = await app.query(`SELECT count(*) FILTER (WHERE ${column} <> $1)::int AS foreign_rows FROM ${table}`, [
            b.tenantId,
          ]);
          expect({ table, foreign: rows[0].foreign_rows }).toEqual({ table, foreign: 0 });
        }
        await expect(
          app.query(`INSERT INTO contacts (id, tenant_id, project_id, name) VALUES (gen_random_uuid(), $1, $2, 'forged')`, [
            a.tenantId,
            a.projectId,
          ]),
        ).rejects.toThrow(/row-level security/);
      } finally {
        await app.query('ROLLBACK');
      }
    });

    it('cannot point its own rows at another tenant’s project (tenant-scoped foreign keys)', async () => {
      await app.query('BEGIN');
      try {
        await app.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [b.tenantId]);
        await expect(
          app.query(`INSERT INTO contacts (id, tenant_id, project_id, name) VALUES (gen_random_uuid(), $1, $2, 'x')`, [
            b.tenantId,
            a.projectId,
          ]),
        ).rejects.toThrow(/foreign key/);
      } finally {
        await app.query('ROLLBACK');
      }
    });

    it('sees no user without a session user or tenant, and only its own tenant’s members with one', async () => {
      expect((await app.query(`SELECT count(*)::int AS n FROM users`)).rows[0].n).toBe(0);
      await app.query('BEGIN');
      try {
        await app.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [b.tenantId]);
        const { rows } = await app.query(`SELECT id FROM users`);
        expect(rows.map((r) => r.id)).toEqual([b.userId]);
        await expect(app.query(`UPDATE users SET name = 'taken over' WHERE id = $1`, [a.userId])).resolves.toMatchObject({ rowCount: 0 });
      } finally {
        await app.query('ROLLBACK');
      }
      // The narrow look-ups are not even callable from the application role's connections.
      for (const call of [
        `auth_login('${a.email}')`,
        `auth_user_id('${a.email}')`,
        `auth_memberships('${a.userId}')`,
        `auth_api_key('x')`,
      ]) {
        await expect(app.query(`SELECT * FROM ${call}`)).rejects.toMatchObject({ code: '42501' });
      }
    });

    it('has only the DML each table needs: no DELETE of soft-deleted or append-only rows', async () => {
      const { rows } = await app.query<{ table_name: string; privileges: string }>(
        `SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) AS privileges
           FROM information_schema.role_table_grants WHERE grantee = 'crm_app' AND table_schema = 'public' GROUP BY table_name`,
      );
      const privileges = Object.fromEntries(rows.map((r) => [r.table_name, r.privileges]));
      expect(privileges.contacts).toBe('INSERT,SELECT,UPDATE');
      expect(privileges.contact_event_store).toBe('INSERT,SELECT');
      expect(privileges.processed_events).toBe('INSERT,SELECT');
      expect(privileges.user_api_keys).toBe('DELETE,INSERT,SELECT');
      expect(
        Object.entries(privileges)
          .filter(([, p]) => p.includes('DELETE'))
          .map(([t]) => t)
          .sort(),
      ).toEqual(['contact_list_members', 'user_api_keys']);
    });

    it('cannot claim or prune outbox events across tenants: only the relay role may', async () => {
      await expect(app.query(`SELECT * FROM outbox_claim(1000, 3600)`)).rejects.toMatchObject({ code: '42501' });
      await expect(app.query(`SELECT * FROM outbox_prune(0, 0)`)).rejects.toMatchObject({ code: '42501' });
    });

    it('is neither superuser nor able to bypass RLS', async () => {
      const { rows } = await app.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
      expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
    });
  });
});
