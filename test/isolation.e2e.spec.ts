import type { OpenAPIObject, OperationObject, ParameterObject } from '@nestjs/swagger';
import { Client } from 'pg';
import { appTarget, parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { requestBody } from './support/openapi-samples';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

/** Tenant B must not read, list, change, delete or restore anything of tenant A's, nor detect that it exists. */
describe('tenant isolation', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  /** B's user token, for the routes of a user without a project (they refuse API keys). */
  let bUser: Record<string, string>;
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
    ids.import = (
      await t.http
        .post('/api/v1/contacts/import')
        .set(a.auth)
        .set('Content-Type', 'text/csv')
        .send('name,tags\nSecret import,a-only\n')
        .expect(201)
    ).body.id;
    const pipeline = await post('pipelines', { name: 'Secret pipeline', statuses: [{ name: 'Secret status', type: 'open' }] });
    ids.pipeline = pipeline.id;
    ids.status = pipeline.statuses[0].id;
    await t.http
      .put(`/api/v1/contacts/${ids.contact}/pipelines/${ids.pipeline}/status`)
      .set(a.auth)
      .send({ statusId: ids.status })
      .expect(200);
    ids.note = (await post(`contacts/${ids.contact}/notes`, { text: 'Secret note' })).id;
    ids.apiKey = (await post('api-keys', { name: 'second' })).id;
    ids.project = (await post('projects', { name: 'A second project' })).id;
    const channel = await post('channels', {
      name: 'Secret channel',
      type: 'waha',
      config: { baseUrl: 'http://127.0.0.1:9', session: 'secret' },
    });
    ids.channel = channel.id;
    // A WhatsApp message through the channel's webhook: A's chat and message.
    await t.http
      .post(`/api/v1/webhooks/waha/${String(channel.webhookUrl).split('/').pop()}`)
      .send({
        event: 'message',
        session: 'secret',
        payload: { id: 'false_14155550100@c.us_SECRET', timestamp: 1758636637, from: '14155550100@c.us', fromMe: false, body: 'secret' },
      })
      .expect(202);
    ids.chat = await eventually(async () => (await t.http.get('/api/v1/chats').set(a.auth)).body.data?.[0]?.id as string | undefined);
    ids.message = (await t.http.get(`/api/v1/chats/${ids.chat}/messages`).set(a.auth).expect(200)).body.data[0].id;
    ids.session = (await t.http.get('/api/v1/sessions').set(a.auth).expect(200)).body.data[0].id;
    ids.automation = (
      await post('automations', {
        name: 'Secret automation',
        enabled: true,
        trigger: { event: 'contact.created' },
        actions: [{ type: 'add_tag', params: { tag: 'a-only' } }],
      })
    ).id;
    ids.agent = (await post('agents', { type: 'ai', name: 'Secret agent', email: 'secret-agent@a.test', config: { secret: true } })).id;
    ids.member = (await t.http.get('/api/v1/members').set(a.auth).expect(200)).body.data[0].id;
    ids.invitation = (await post('members', { email: 'invitee@a.test', role: 'user' })).id;
    // A webhook subscription (to nowhere: port 9) and the delivery of an event queued for it.
    ids.webhookSubscription = (await post('webhook-subscriptions', { url: 'http://127.0.0.1:9/secret', events: ['contact.*'] })).id;
    await post('contacts', { name: 'Secret webhook subject' });
    ids.webhookDelivery = await eventually(
      async () =>
        (await t.http.get(`/api/v1/webhook-subscriptions/${ids.webhookSubscription}/deliveries`).set(a.auth)).body.data?.[0]?.id as
          string | undefined,
    );
    const bLogin = await t.http.post('/api/v1/auth/login').send({ email: b.email, password: b.password }).expect(200);
    bUser = { Authorization: `Bearer ${bLogin.body.accessToken}` };
    await eventually(async () => (await t.http.get(`/api/v1/contacts/${ids.contact}/timeline`).set(a.auth)).body.data?.length >= 2);
    ids.outboxEvent = (await t.http.get('/api/v1/outbox').set(a.auth).expect(200)).body.data[0].id;
  });
  afterAll(() => t.close());

  /** A's id for each collection's `{id}`; a collection missing here is found by listing it as A. */
  const ID_OF: Record<string, string> = {
    contacts: 'contact',
    'contact-lists': 'list',
    'contact-custom-fields': 'field',
    imports: 'import',
    'api-keys': 'apiKey',
    members: 'member',
    projects: 'project',
    outbox: 'outboxEvent',
    invitations: 'invitation',
    'project-invitations': 'invitation',
    channels: 'channel',
    chats: 'chat',
    messages: 'message',
    sessions: 'session',
    automations: 'automation',
    agents: 'agent',
    pipelines: 'pipeline',
    'webhook-subscriptions': 'webhookSubscription',
    'webhook-deliveries': 'webhookDelivery',
  };
  const userOnly = (op: OperationObject) =>
    !((op.parameters ?? []) as ParameterObject[]).some((p) => p.in === 'header' && p.name === 'X-Project-Id');
  const MISSING = '01a21290-0000-7000-8000-000000000000';
  /** Every operation of the document with a path parameter: a new `{id}` route is covered without editing this test. */
  let attempts: { name: string; method: 'get' | 'put' | 'patch' | 'delete' | 'post'; path: string; op: OperationObject }[];
  let doc: OpenAPIObject;

  beforeAll(async () => {
    doc = (await t.http.get('/docs-json').expect(200)).body;
    attempts = Object.entries(doc.paths).flatMap(([path, item]) =>
      (['get', 'put', 'patch', 'delete', 'post'] as const)
        // Public routes (provider webhooks) take no tenant credential: their token is the credential, and
        // test/channels.e2e.spec.ts shows another tenant's token never reaches this tenant's rows.
        .filter((method) => item[method] && path.includes('{') && (item[method]!.security ?? []).length > 0)
        .map((method) => ({ name: `${method.toUpperCase()} ${path}`, method, path, op: item[method]! })),
    );
    for (const path of new Set(attempts.map((a) => a.path))) {
      const collection = collectionOf(path);
      if (ids[ID_OF[collection] ?? collection]) continue;
      const list = await t.http.get(`/api/v1/${collection}`).set(a.auth);
      const id = list.body?.data?.[0]?.id;
      if (!id) throw new Error(`no id of A's for ${path}: create one in this test's setup and name it in ID_OF`);
      ids[collection] = id;
    }
  });

  const collectionOf = (path: string) => path.replace('/api/v1/', '').split('/')[0];
  /** A's resource for `{id}` (or a missing one), and a value any other parameter accepts. */
  const fill = (path: string, missing: boolean) =>
    path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      if (name === 'version') return '1';
      const own = ids[ID_OF[collectionOf(path)] ?? collectionOf(path)];
      return missing ? MISSING : name === 'id' ? own : (ids[name.replace(/Id$/, '')] ?? own);
    });

  it('covers every route with a path parameter', () => {
    expect(attempts.length).toBeGreaterThanOrEqual(23);
  });

  it("answers every route with another tenant's id exactly as with a missing one: 404, nothing revealed", async () => {
    const leaks: string[] = [];
    for (const { name, method, path, op } of attempts) {
      const body = requestBody(doc, op);
      const send = (missing: boolean) => {
        const req = t.http[method](fill(path, missing)).set(userOnly(op) ? bUser : b.auth);
        return body === undefined ? req : req.send(body as object);
      };
      const res = await send(false);
      const missing = await send(true);
      if (res.status !== 404) leaks.push(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
      else if (missing.status !== 404 || res.body.title !== missing.body.title || res.body.code !== missing.body.code)
        leaks.push(`${name}: answers differ from a missing id (${missing.status} ${JSON.stringify(missing.body)})`);
      // `instance` echoes B's own request path (`.../rotate-secret`), not A's data.
      else if (/secret|Secret|a-only/.test(JSON.stringify({ ...res.body, instance: undefined }))) leaks.push(`${name}: reveals A's data`);
    }
    expect(leaks).toEqual([]);
  });

  it('lists show none of the other tenant’s rows', async () => {
    const lists = [
      'contacts',
      'contacts?deleted=true',
      'contacts?q=secret',
      'contacts?tag=a-only',
      'contact-lists',
      'contact-custom-fields',
      'imports',
      'api-keys',
      'members',
      'projects',
      'outbox',
      'project-invitations',
      'channels',
      'automations',
      'agents',
      'sessions',
      'pipelines',
      'pipelines?deleted=true',
      'webhook-subscriptions',
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
    expect((await t.http.get(`/api/v1/pipelines/${ids.pipeline}`).set(a.auth).expect(200)).body).toMatchObject({ version: 1 });
    const place = await t.http.get(`/api/v1/contacts/${ids.contact}/pipelines/${ids.pipeline}/status`).set(a.auth).expect(200);
    expect(place.body).toMatchObject({ statusId: ids.status, version: 1 });
    const note = await t.http.get(`/api/v1/contacts/${ids.contact}/notes/${ids.note}`).set(a.auth).expect(200);
    expect(note.body).toMatchObject({ text: 'Secret note', version: 1 });
    await t.http.get(`/api/v1/projects/${ids.project}`).set(a.auth).expect(200);
    const automation = await t.http.get(`/api/v1/automations/${ids.automation}`).set(a.auth).expect(200);
    expect(automation.body).toMatchObject({ name: 'Secret automation', version: 1, enabled: true });
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
        `auth_memberships('${a.userId}')`,
        `auth_api_key('x')`,
        `auth_pending_invitations('${a.userId}')`,
        `auth_invitation_tenant('${a.userId}', '${a.userId}')`,
        `auth_upgrade_password_hash('${a.userId}', 'x', 'y')`,
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
      // Pending timers are rescheduled in place and a cancelled one is simply gone (a fired one lives on as its event).
      expect(privileges.scheduled_timers).toBe('DELETE,INSERT,SELECT,UPDATE');
      // A delivery report that overtook its message waits for it and is deleted once applied (never updated).
      expect(privileges.pending_acks).toBe('DELETE,INSERT,SELECT');
      expect(privileges.messages).toBe('INSERT,SELECT,UPDATE');
      expect(
        Object.entries(privileges)
          .filter(([, p]) => p.includes('DELETE'))
          .map(([t]) => t)
          .sort(),
      ).toEqual(['contact_list_members', 'pending_acks', 'scheduled_timers', 'user_api_keys']);
    });

    it('cannot claim or prune outbox events across tenants: only the relay role may', async () => {
      await expect(app.query(`SELECT * FROM outbox_claim(1000, 3600)`)).rejects.toMatchObject({ code: '42501' });
      await expect(app.query(`SELECT * FROM outbox_prune(0, 0)`)).rejects.toMatchObject({ code: '42501' });
      await expect(app.query(`SELECT timers_fire(1000)`)).rejects.toMatchObject({ code: '42501' });
      await expect(app.query(`SELECT * FROM webhook_deliveries_claim(1000, 60)`)).rejects.toMatchObject({ code: '42501' });
      await expect(app.query(`SELECT webhook_deliveries_prune(0)`)).rejects.toMatchObject({ code: '42501' });
    });

    it('is neither superuser nor able to bypass RLS', async () => {
      const { rows } = await app.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
      expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
    });
  });
});
