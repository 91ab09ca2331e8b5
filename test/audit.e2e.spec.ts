import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { appTarget, parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

interface Entry {
  id: string;
  table: string;
  rowId: string;
  action: string;
  changes: Record<string, { old?: unknown; new?: unknown }>;
  actorId: string | null;
  requestId: string | null;
}

type AuditRowKey = { table_name: string; action: string; row_id: string };
const rowKey = (e: AuditRowKey) => `${e.table_name} ${e.action} ${e.row_id}`;

/** Every change of a tenant row is recorded by the database, readable by the tenant's admins only, and immutable. */
describe('audit trail', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let app: Client;

  const trail = async (tenant: Tenant, query: Record<string, string>): Promise<Entry[]> =>
    (await t.http.get('/api/v1/audit').query(query).set(tenant.auth).expect(200)).body.data;

  beforeAll(async () => {
    t = await startTestApp({ relay: false });
    a = await registerTenant(t.http, 'audit-a');
    b = await registerTenant(t.http, 'audit-b');
    app = new Client(toClientConfig(appTarget(parseDatabaseUrl(process.env.DATABASE_URL!), t.config.appDbPassword)));
    await app.connect();
  });
  afterAll(async () => {
    await app.end();
    await t.close();
  });

  it('records insert, update, soft delete and restore with the changed columns, the actor and the request id', async () => {
    const created = await t.http
      .post('/api/v1/contacts')
      .set(a.auth)
      .set('X-Request-Id', 'req-audit-create')
      .send({ name: 'Grace', email: 'grace@audit.test' })
      .expect(201);
    const id = created.body.id;
    await t.http
      .patch(`/api/v1/contacts/${id}`)
      .set(a.auth)
      .set('X-Request-Id', 'req-audit-rename')
      .send({ name: 'Grace Hopper' })
      .expect(200);
    await t.http.delete(`/api/v1/contacts/${id}`).set(a.auth).expect(204);
    await t.http.post(`/api/v1/contacts/${id}/restore`).set(a.auth).expect(200);

    const entries = await trail(a, { table: 'contacts', rowId: id });
    expect(entries.map((e) => e.action)).toEqual(['restore', 'soft_delete', 'update', 'insert']);
    const [restore, softDelete, update, insert] = entries;
    expect(insert.changes.name).toEqual({ new: 'Grace' });
    expect(insert.changes.email).toEqual({ new: 'grace@audit.test' });
    expect(insert.requestId).toBe('req-audit-create');
    expect(insert.actorId).toBe(a.userId);
    expect(update.changes.name).toEqual({ old: 'Grace', new: 'Grace Hopper' });
    expect(update.changes.version).toEqual({ old: 1, new: 2 });
    expect(update.changes).not.toHaveProperty('email');
    expect(update.changes).not.toHaveProperty('updated_at');
    expect(update.requestId).toBe('req-audit-rename');
    expect(softDelete.changes.deleted_at.old).toBeNull();
    expect(softDelete.changes.deleted_at.new).toEqual(expect.any(String));
    expect(restore.changes.deleted_at.new).toBeNull();
  });

  it('records hard deletes, keyed by every key column', async () => {
    const contact = (await t.http.post('/api/v1/contacts').set(a.auth).send({ name: 'Member' }).expect(201)).body.id;
    const list = (await t.http.post('/api/v1/contact-lists').set(a.auth).send({ name: 'Audited list' }).expect(201)).body.id;
    await t.http
      .post(`/api/v1/contact-lists/${list}/contacts`)
      .set(a.auth)
      .send({ contactIds: [contact] })
      .expect(200);
    await t.http
      .post(`/api/v1/contact-lists/${list}/contacts/remove`)
      .set(a.auth)
      .send({ contactIds: [contact] })
      .expect(200);
    const entries = await trail(a, { table: 'contact_list_members', rowId: `${list}:${contact}` });
    expect(entries.map((e) => e.action)).toEqual(['delete', 'insert']);
    expect(entries[0].changes.contact_id).toEqual({ old: contact });
  });

  it('never records secrets or password hashes', async () => {
    const key = (await t.http.post('/api/v1/api-keys').set(a.auth).send({ name: 'audited key' }).expect(201)).body;
    const [entry] = await trail(a, { table: 'user_api_keys', rowId: key.id });
    expect(entry.action).toBe('insert');
    expect(entry.changes.name).toEqual({ new: 'audited key' });
    expect(entry.changes).not.toHaveProperty('key_hash');
    const { rows } = await app.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE changes::text ~* '(password|key_hash)' AND tenant_id = $1`,
      [a.tenantId],
    );
    expect(rows[0].n).toBe(0);
  });

  it('filters by actor and pages newest first', async () => {
    const mine = await trail(a, { actor: a.userId, limit: '2' });
    expect(mine).toHaveLength(2);
    expect(mine.every((e) => e.actorId === a.userId)).toBe(true);
    const first = await t.http.get('/api/v1/audit').query({ limit: 2 }).set(a.auth).expect(200);
    const second = await t.http.get('/api/v1/audit').query({ limit: 2, cursor: first.body.nextCursor }).set(a.auth).expect(200);
    expect(second.body.data[0].id < first.body.data[1].id).toBe(true);
    expect(await trail(a, { actor: b.userId })).toEqual([]);
  });

  it("shows another tenant nothing of this tenant's trail", async () => {
    const contact = (await t.http.post('/api/v1/contacts').set(a.auth).send({ name: 'Private' }).expect(201)).body.id;
    expect(await trail(b, { rowId: contact })).toEqual([]);
    expect((await trail(b, {})).every((e) => e.rowId !== contact)).toBe(true);
  });

  it('is for admins only, and validates its filters', async () => {
    const c = await registerTenant(t.http, 'audit-c');
    const owner = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await owner.connect();
    await owner.query(`UPDATE project_members SET role = 'user' WHERE tenant_id = $1`, [c.tenantId]).finally(() => owner.end());
    const res = await t.http.get('/api/v1/audit').set(c.auth).expect(403);
    expect(res.body.code).toBe('auth.insufficient_role');
    const bad = await t.http.get('/api/v1/audit').set(a.auth).query({ table: 'Not A Table!', actor: 'nobody' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['actor', 'table']);
  });

  describe('as the application role, with raw SQL', () => {
    const asTenant = async <T>(tenant: Tenant, fn: () => Promise<T>): Promise<T> => {
      await app.query('BEGIN');
      try {
        await app.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenant.tenantId]);
        return await fn();
      } finally {
        await app.query('ROLLBACK');
      }
    };

    it('reads only its own tenant, and nothing without a tenant', async () => {
      expect((await app.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n).toBe(0);
      const tenants = await asTenant(a, async () => (await app.query('SELECT DISTINCT tenant_id FROM audit_log')).rows);
      expect(tenants).toEqual([{ tenant_id: a.tenantId }]);
    });

    const byKey = (x: AuditRowKey, y: AuditRowKey) => (rowKey(x) < rowKey(y) ? -1 : rowKey(x) > rowKey(y) ? 1 : 0);

    it('records each row of a multi-row INSERT, UPDATE and DELETE, as one statement per row would', async () => {
      const [c1, c2, c3, list] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const entries = await asTenant(a, async () => {
        await app.query(`SELECT set_config('app.current_user_id', $1, true), set_config('app.request_id', 'req-multi', true)`, [a.userId]);
        await app.query(
          `INSERT INTO contacts (id, tenant_id, project_id, name, email) VALUES
             ($1, $4, $5, 'One', 'one@multi.test'), ($2, $4, $5, 'Two', NULL), ($3, $4, $5, 'Three', NULL)`,
          [c1, c2, c3, a.tenantId, a.projectId],
        );
        // One row renamed, one soft-deleted, one touched only in updated_at (no entry), in one statement.
        await app.query(
          `UPDATE contacts SET updated_at = now() + interval '1 second',
             name = CASE WHEN id = $1 THEN 'One bis' ELSE name END,
             deleted_at = CASE WHEN id = $2 THEN now() END
           WHERE id = ANY($3::uuid[])`,
          [c1, c2, [c1, c2, c3]],
        );
        await app.query(`INSERT INTO contact_lists (id, tenant_id, project_id, name) VALUES ($1, $2, $3, 'Multi')`, [
          list,
          a.tenantId,
          a.projectId,
        ]);
        await app.query(`INSERT INTO contact_list_members (tenant_id, list_id, contact_id) SELECT $1, $2, unnest($3::uuid[])`, [
          a.tenantId,
          list,
          [c1, c3],
        ]);
        await app.query(`DELETE FROM contact_list_members WHERE list_id = $1`, [list]);
        const { rows } = await app.query(
          `SELECT table_name, row_id, action, changes, actor_id, request_id, project_id FROM audit_log
            WHERE request_id = 'req-multi' AND table_name IN ('contacts', 'contact_list_members')`,
        );
        return rows.sort(byKey);
      });
      const common = { actor_id: a.userId, request_id: 'req-multi', project_id: a.projectId };
      const member = (contact: string, action: string, side: 'old' | 'new') => ({
        ...common,
        project_id: null,
        table_name: 'contact_list_members',
        row_id: `${list}:${contact}`,
        action,
        changes: {
          tenant_id: { [side]: a.tenantId },
          list_id: { [side]: list },
          contact_id: { [side]: contact },
          added_at: { [side]: expect.any(String) },
        },
      });
      const inserted = (id: string, name: string, email: string | null) => ({
        ...common,
        table_name: 'contacts',
        row_id: id,
        action: 'insert',
        changes: expect.objectContaining({ id: { new: id }, name: { new: name }, email: { new: email }, version: { new: 1 } }),
      });
      expect(entries).toEqual(
        [
          member(c1, 'delete', 'old'),
          member(c3, 'delete', 'old'),
          member(c1, 'insert', 'new'),
          member(c3, 'insert', 'new'),
          inserted(c1, 'One', 'one@multi.test'),
          inserted(c2, 'Two', null),
          inserted(c3, 'Three', null),
          {
            ...common,
            table_name: 'contacts',
            row_id: c2,
            action: 'soft_delete',
            changes: { deleted_at: { old: null, new: expect.any(String) } },
          },
          { ...common, table_name: 'contacts', row_id: c1, action: 'update', changes: { name: { old: 'One', new: 'One bis' } } },
        ].sort(byKey),
      );
      expect(entries.find((e) => e.row_id === c1 && e.action === 'insert').changes).not.toHaveProperty('updated_at');
    });

    it('cannot insert, update, delete or truncate audit rows, nor call the trigger function', async () => {
      const attempts = [
        `INSERT INTO audit_log (id, tenant_id, table_name, row_id, action, changes) VALUES (gen_random_uuid(), '${a.tenantId}', 'contacts', 'x', 'insert', '{}')`,
        `UPDATE audit_log SET action = 'update'`,
        `DELETE FROM audit_log`,
        `TRUNCATE audit_log`,
        `SELECT audit_row()`,
        `SELECT audit_statement()`,
        `ALTER TABLE contacts DISABLE TRIGGER audit_insert`,
      ];
      for (const sql of attempts) {
        await expect(asTenant(a, () => app.query(sql))).rejects.toThrow(/permission denied|must be owner/);
      }
      const count = await asTenant(a, async () => (await app.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n);
      expect(count).toBeGreaterThan(0);
    });
  });
});
