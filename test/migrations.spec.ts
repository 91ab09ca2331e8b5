import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Column, DeleteDateColumn, Entity, PrimaryColumn, VersionColumn } from 'typeorm';
import { ENTITIES, MIGRATIONS, REPOSITORIES } from '../src/bounded-contexts';
import { AuditReport } from '../src/tooling/catalog-audit/audit-rules';
import { auditCatalog } from '../src/tooling/catalog-audit/catalog-audit';
import type { EntityClass } from '../src/tooling/catalog-audit/catalog-facts';
import { APP_ROLE, appTarget, parseDatabaseUrl, PgTarget, toClientConfig } from '#persistence/connection-options';
import { Migrator } from '#persistence/migrator';
import { provisionDatabase, quoteIdent } from '#persistence/provision';

/**
 * ARCHITECTURE.md section 6: on a fresh database, apply every migration, revert them all, apply them again, and
 * check the live catalog for the tenancy and persistence invariants each time.
 */
const admin = parseDatabaseUrl(process.env.CRM_TEST_ADMIN_URL!);
const owner: PgTarget = { ...admin, database: `crm_migrations_${process.pid}_${Date.now()}` };
const appPassword = process.env.APP_DB_PASSWORD!;
const migrator = new Migrator(owner, MIGRATIONS);

async function connect(target: PgTarget): Promise<Client> {
  const client = new Client(toClientConfig(target));
  await client.connect();
  return client;
}

async function withClient<T>(target: PgTarget, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(target);
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const audit = (entities = ENTITIES, repositories = REPOSITORIES): Promise<AuditReport> =>
  withClient(owner, (client) => auditCatalog(client, entities, repositories));

function expectAuditOk(report: AuditReport): void {
  expect(report.rows.filter((r) => !r.ok).map((r) => ({ table: r.table, problems: r.problems }))).toEqual([]);
  expect(report.role.problems).toEqual([]);
  expect(report.ok).toBe(true);
  const tenantTables = report.rows.filter((r) => r.tenantScoped);
  expect(tenantTables.length).toBeGreaterThan(0);
  for (const row of tenantTables)
    expect({ table: row.table, enabled: row.rlsEnabled, forced: row.rlsForced, policy: row.policy }).toEqual({
      table: row.table,
      enabled: true,
      forced: true,
      policy: 'tenant_isolation',
    });
  for (const row of report.rows.filter((r) => !r.tenantScoped))
    expect({ table: row.table, global: typeof row.global }).toEqual({ table: row.table, global: 'string' });
  expect(report.summary.rlsForced.count).toBe(tenantTables.length);
}

/** What the migrations may leave in schema public once all are reverted: the bookkeeping table and extensions. */
async function leftovers(client: Client): Promise<{ relations: string[]; functions: string[]; types: string[] }> {
  const notExtension = (catalog: string, column: string) =>
    `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${column} AND d.deptype = 'e')`;
  const relations = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.relname NOT IN ('migrations', 'migrations_id_seq')
        AND ${notExtension('pg_class', 'c.oid')} ORDER BY 1`,
  );
  const functions = await client.query<{ name: string }>(
    `SELECT p.oid::regprocedure::text AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND ${notExtension('pg_proc', 'p.oid')} ORDER BY 1`,
  );
  const types = await client.query<{ name: string }>(
    `SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c') AND t.typrelid = 0 AND ${notExtension('pg_type', 't.oid')} ORDER BY 1`,
  );
  return {
    relations: relations.rows.map((r) => r.name),
    functions: functions.rows.map((r) => r.name),
    types: types.rows.map((r) => r.name),
  };
}

/** Expects `sql`, run as `client`, to fail with SQLSTATE `code`. */
async function expectSqlError(client: Client, sql: string, code: string): Promise<void> {
  await expect(client.query(sql)).rejects.toMatchObject({ code });
}

afterAll(async () => {
  await withClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(owner.database)} WITH (FORCE)`));
});

describe('migrations on a fresh database', () => {
  it('applies every migration and the catalog holds the invariants', async () => {
    await provisionDatabase(owner, appPassword);
    expect(await migrator.up()).toEqual(MIGRATIONS.map((m) => new m().name));
    expectAuditOk(await audit());
  });

  it('reverts every migration, leaving nothing of ours in schema public', async () => {
    expect(await migrator.down(Infinity)).toBe(MIGRATIONS.length);
    expect((await migrator.status()).filter((m) => m.applied)).toEqual([]);
    expect(await withClient(owner, leftovers)).toEqual({ relations: [], functions: [], types: [] });
  });

  it('applies them all again and the catalog still holds the invariants', async () => {
    expect(await migrator.up()).toHaveLength(MIGRATIONS.length);
    expect((await migrator.status()).every((m) => m.applied)).toBe(true);
    expectAuditOk(await audit());
  });
});

describe('the application role on the migrated database', () => {
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  let app: Client;

  beforeAll(async () => {
    // The owner here is a superuser: RLS does not apply to it, so it seeds both tenants.
    await withClient(owner, async (client) => {
      for (const tenant of [tenantA, tenantB]) await seedTenant(client, tenant);
    });
    app = await connect(appTarget(owner, appPassword));
  });
  afterAll(() => app?.end());

  it('sees no tenant rows in any tenant table without app.current_tenant_id', async () => {
    const tenantTables = (await audit()).rows.filter((r) => r.tenantScoped).map((r) => r.table);
    for (const table of tenantTables) {
      const { rows } = await app.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(table)}`);
      expect({ table, visible: rows[0].n }).toEqual({ table, visible: 0 });
    }
  });

  it("sees only its tenant's rows with set_config, and cannot write another tenant's", async () => {
    await app.query('BEGIN');
    try {
      await app.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantA]);
      const { rows } = await app.query<{ tenant_id: string }>('SELECT tenant_id FROM contacts');
      expect(rows.map((r) => r.tenant_id)).toEqual([tenantA]);
      expect((await app.query('SELECT id FROM tenants')).rows).toEqual([{ id: tenantA }]);
      await expectSqlError(app, `UPDATE contacts SET tenant_id = '${tenantB}'`, '42501');
    } finally {
      await app.query('ROLLBACK');
    }
    // The setting was transaction-local: nothing is visible again.
    expect((await app.query('SELECT count(*)::int AS n FROM contacts')).rows).toEqual([{ n: 0 }]);
  });

  it("finds through contact_search (a definer function) only its own tenant's contacts, and none without a tenant", async () => {
    const projectOf = async (tenant: string): Promise<string> => {
      await app.query('BEGIN');
      try {
        await app.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenant]);
        return (await app.query<{ project_id: string }>('SELECT project_id FROM contacts')).rows[0].project_id;
      } finally {
        await app.query('ROLLBACK');
      }
    };
    const [projectA, projectB] = [await projectOf(tenantA), await projectOf(tenantB)];
    const search = async (project: string) =>
      (await app.query(`SELECT contact_search($1, '%c%', NULL, NULL, false, NULL, 50) AS id`, [project])).rows.length;
    expect([await search(projectA), await search(projectB)]).toEqual([0, 0]);
    await app.query('BEGIN');
    try {
      await app.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantA]);
      expect([await search(projectA), await search(projectB)]).toEqual([1, 0]);
    } finally {
      await app.query('ROLLBACK');
    }
  });

  it('cannot alter, drop or truncate a table, create one, or become the service role', async () => {
    await expectSqlError(app, 'ALTER TABLE contacts NO FORCE ROW LEVEL SECURITY', '42501');
    await expectSqlError(app, 'ALTER TABLE contacts DISABLE ROW LEVEL SECURITY', '42501');
    await expectSqlError(app, 'ALTER TABLE contacts ADD COLUMN sneaky text', '42501');
    await expectSqlError(app, 'DROP POLICY tenant_isolation ON contacts', '42501');
    await expectSqlError(app, 'DROP TABLE contacts', '42501');
    await expectSqlError(app, 'TRUNCATE contacts', '42501');
    await expectSqlError(app, 'CREATE TABLE sneaky (id integer)', '42501');
    await expectSqlError(app, 'SET ROLE crm_service', '42501');
  });
});

async function seedTenant(client: Client, tenant: string): Promise<void> {
  const [user, account, project] = [randomUUID(), randomUUID(), randomUUID()];
  await client.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [tenant, `tenant ${tenant}`]);
  await client.query(`INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, 'u', 'x')`, [user, `${user}@example.test`]);
  await client.query(
    `INSERT INTO billing_accounts (id, tenant_id, owner_user_id, name, billing_email) VALUES ($1, $2, $3, 'b', 'b@example.test')`,
    [account, tenant, user],
  );
  await client.query(`INSERT INTO projects (id, tenant_id, billing_account_id, created_by, name) VALUES ($1, $2, $3, $4, 'p')`, [
    project,
    tenant,
    account,
    user,
  ]);
  await client.query(`INSERT INTO project_members (id, tenant_id, project_id, user_id, role) VALUES ($1, $2, $3, $4, 'admin')`, [
    randomUUID(),
    tenant,
    project,
    user,
  ]);
  await client.query(`INSERT INTO contacts (id, tenant_id, project_id, name) VALUES ($1, $2, $3, 'c')`, [randomUUID(), tenant, project]);
}

@Entity('audit_probe_unversioned')
class UnversionedProbe {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @VersionColumn() version: number;
  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz' }) deletedAt: Date | null;
}

@Entity('audit_probe_missing')
class MissingTableProbe {
  @PrimaryColumn('uuid') id: string;
}

describe('the catalog audit detects broken invariants', () => {
  const predicate = `(SELECT nullif(current_setting('app.current_tenant_id', true), '')::uuid)`;
  const tightPolicy = `tenant_isolation USING (tenant_id = ${predicate}) WITH CHECK (tenant_id = ${predicate})`;
  const probes: Record<string, string[]> = {
    audit_probe_leaky: [],
    audit_probe_unforced: [
      'ENABLE ROW LEVEL SECURITY',
      `tenant_isolation USING (tenant_id = ${predicate}) WITH CHECK (tenant_id = ${predicate})`,
    ],
    audit_probe_weak_check: [
      'ENABLE ROW LEVEL SECURITY',
      'FORCE ROW LEVEL SECURITY',
      `tenant_isolation USING (tenant_id = ${predicate}) WITH CHECK (true)`,
    ],
    audit_probe_widened: [
      'ENABLE ROW LEVEL SECURITY',
      'FORCE ROW LEVEL SECURITY',
      `tenant_isolation USING (tenant_id = ${predicate}) WITH CHECK (tenant_id = ${predicate})`,
      'open_door USING (true)',
    ],
    audit_probe_unaudited: ['ENABLE ROW LEVEL SECURITY', 'FORCE ROW LEVEL SECURITY', tightPolicy],
    audit_probe_unmapped: ['ENABLE ROW LEVEL SECURITY', 'FORCE ROW LEVEL SECURITY', tightPolicy],
  };
  // Each probe breaks one rule: the others are mapped by an entity and exempt from the audit trigger.
  const unmapped = ['audit_probe_unmapped'];
  const unaudited = ['audit_probe_unaudited'];
  let ownerClient: Client;
  let report: AuditReport;
  const problemsOf = (table: string) => report.rows.find((r) => r.table === table)?.problems ?? ['<no row>'];

  beforeAll(async () => {
    ownerClient = await connect(owner);
    for (const [table, steps] of Object.entries(probes)) {
      await ownerClient.query(`CREATE TABLE ${table} (id uuid PRIMARY KEY, tenant_id uuid NOT NULL)`);
      for (const step of steps) {
        await ownerClient.query(
          step.endsWith('SECURITY') ? `ALTER TABLE ${table} ${step}` : `CREATE POLICY ${step.replace(' ', ` ON ${table} `)}`,
        );
      }
      if (!unaudited.includes(table)) await ownerClient.query(`COMMENT ON TABLE ${table} IS 'audit-exempt: a probe'`);
    }
    await ownerClient.query('CREATE TABLE audit_probe_uncommented (id uuid PRIMARY KEY)');
    await ownerClient.query('CREATE TABLE audit_probe_unversioned (id uuid PRIMARY KEY, name text NOT NULL, deleted_at timestamptz)');
    await ownerClient.query(`COMMENT ON TABLE audit_probe_unversioned IS 'global: a probe'`);
    await ownerClient.query('CREATE TABLE audit_probe_owned (id uuid PRIMARY KEY)');
    await ownerClient.query(`COMMENT ON TABLE audit_probe_owned IS 'global: a probe'`);
    await ownerClient.query(`ALTER TABLE audit_probe_owned OWNER TO ${APP_ROLE}`);
    await ownerClient.query(`GRANT TRUNCATE ON contacts TO ${APP_ROLE}`);
    report = await auditCatalog(
      (sql, params) => ownerClient.query(sql, params),
      [
        ...ENTITIES,
        UnversionedProbe,
        MissingTableProbe,
        ...Object.keys(probes)
          .filter((table) => !unmapped.includes(table))
          .map(tenantProbeEntity),
      ],
      REPOSITORIES,
    );
  });

  const dropProbes = async () => {
    await ownerClient.query(`REVOKE TRUNCATE ON contacts FROM ${APP_ROLE}`);
    for (const table of [...Object.keys(probes), 'audit_probe_uncommented', 'audit_probe_unversioned', 'audit_probe_owned']) {
      await ownerClient.query(`DROP TABLE IF EXISTS ${table}`);
    }
  };
  afterAll(async () => {
    if (!ownerClient) return;
    await dropProbes();
    await ownerClient.end();
  });

  it('fails the audit', () => {
    expect(report.ok).toBe(false);
  });

  it('flags a tenant table without the audit trigger or a stated exemption', () => {
    expect(problemsOf('audit_probe_unaudited')).toEqual([expect.stringMatching(/^no audit triggers/)]);
  });

  it('flags a tenant table that no entity maps', () => {
    expect(problemsOf('audit_probe_unmapped')).toEqual([expect.stringMatching(/^tenant table mapped by no entity/)]);
  });

  it('flags a tenant table without RLS or policy', () => {
    expect(problemsOf('audit_probe_leaky')).toEqual([
      'row level security not enabled',
      'row level security not forced',
      expect.stringMatching(/^no policy for ALL commands/),
    ]);
  });

  it('flags RLS that is enabled but not forced', () => {
    expect(problemsOf('audit_probe_unforced')).toEqual(['row level security not forced']);
  });

  it('flags a policy whose WITH CHECK ignores the tenant, and a permissive policy that widens it', () => {
    expect(problemsOf('audit_probe_weak_check')).toEqual([
      expect.stringMatching(/^no policy for ALL commands/),
      expect.stringMatching(/permissive policy tenant_isolation/),
    ]);
    expect(problemsOf('audit_probe_widened')).toEqual([expect.stringMatching(/permissive policy open_door/)]);
  });

  it('flags a table with neither tenant_id nor a global comment', () => {
    expect(problemsOf('audit_probe_uncommented')).toEqual(['no tenant_id and no `global: <reason>` comment']);
  });

  it('flags an entity whose table lacks its version column, and one whose table does not exist', () => {
    expect(problemsOf('audit_probe_unversioned')).toEqual([
      'UnversionedProbe has @VersionColumn but audit_probe_unversioned.version is not integer NOT NULL',
    ]);
    expect(problemsOf('audit_probe_missing')).toEqual([expect.stringMatching(/table does not exist \(mapped by MissingTableProbe\)/)]);
  });

  it('flags the application role owning a table, and privileges beyond DML', () => {
    expect(report.role.problems).toEqual([`${APP_ROLE} owns public.audit_probe_owned`]);
    expect(problemsOf('audit_probe_owned')).toContainEqual(`owned by ${APP_ROLE}`);
    expect(problemsOf('contacts')).toEqual([expect.stringMatching(/has TRUNCATE/)]);
  });

  it('passes again once the probes are gone', async () => {
    await dropProbes();
    expectAuditOk(await audit());
  });
});

describe('an owner that is no superuser, only allowed to create roles and databases', () => {
  const suffix = `${process.pid}_${Date.now()}`;
  const role = `crm_owner_${suffix}`;
  const limited: PgTarget = { ...admin, user: role, password: 'owner-password', database: `crm_limited_${suffix}` };

  beforeAll(async () => {
    await withClient(admin, async (client) => {
      await client.query(`CREATE ROLE ${role} LOGIN CREATEROLE CREATEDB PASSWORD 'owner-password'`);
      // The roles already exist on this server (made by another owner): since PostgreSQL 16 only an administrator
      // may let a new owner manage them, which is the one step such an installation needs.
      await client.query(`GRANT crm_service, crm_app, crm_relay, crm_auth TO ${role} WITH ADMIN OPTION`);
    });
  });

  afterAll(async () => {
    await withClient(admin, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(limited.database)} WITH (FORCE)`);
      await client.query(`DROP ROLE IF EXISTS ${role}`);
    });
  });

  it('provisions, migrates, reverts and migrates again, and the catalog holds the invariants', async () => {
    await provisionDatabase(limited, appPassword);
    const limitedMigrator = new Migrator(limited, MIGRATIONS);
    expect(await limitedMigrator.up()).toHaveLength(MIGRATIONS.length);
    expectAuditOk(await withClient(limited, (client) => auditCatalog(client, ENTITIES, REPOSITORIES)));
    expect(await limitedMigrator.down(Infinity)).toBe(MIGRATIONS.length);
    expect(await limitedMigrator.up()).toHaveLength(MIGRATIONS.length);
    const owners = await withClient(limited, (client) =>
      client.query<{ owner: string }>(`SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = 'contacts'`),
    );
    expect(owners.rows).toEqual([{ owner: role }]);
  });
});

/** An entity mapping a probe table's id and tenant_id. */
function tenantProbeEntity(table: string): EntityClass {
  class TenantProbe {
    id: string;
    tenantId: string;
  }
  Object.defineProperty(TenantProbe, 'name', { value: `Probe_${table}` });
  Entity(table)(TenantProbe);
  PrimaryColumn('uuid')(TenantProbe.prototype, 'id');
  Column('uuid', { name: 'tenant_id' })(TenantProbe.prototype, 'tenantId');
  return TenantProbe;
}
