import { auditFacts, auditRole } from './audit-rules';
import { CatalogFacts, EntityFacts, RoleFacts, TableFacts } from './catalog-facts';

const predicate = `(tenant_id = (SELECT (NULLIF(current_setting('app.current_tenant_id'::text, true), ''::text))::uuid))`;

const table = (name: string, overrides: Partial<TableFacts> = {}): TableFacts => ({
  name,
  rlsEnabled: true,
  rlsForced: true,
  comment: null,
  owner: 'crm_owner',
  columns: new Map([
    ['id', { type: 'uuid', nullable: false }],
    ['tenant_id', { type: 'uuid', nullable: false }],
    ['version', { type: 'integer', nullable: false }],
  ]),
  policies: [{ name: 'tenant_isolation', permissive: true, roles: ['public'], cmd: 'ALL', qual: predicate, withCheck: predicate }],
  extraPrivileges: [],
  audited: true,
  ...overrides,
});
const entity = (tableName: string, overrides: Partial<EntityFacts> = {}): EntityFacts => ({
  name: `${tableName}Entity`,
  table: tableName,
  versionColumn: 'version',
  mapsTenantId: true,
  ...overrides,
});
const role: RoleFacts = {
  role: 'crm_app',
  exists: true,
  superuser: false,
  bypassRls: false,
  createInSchema: false,
  createInDatabase: false,
  ownedRelations: [],
  memberOf: [],
};
const audit = (tables: TableFacts[], entities: EntityFacts[] = tables.map((t) => entity(t.name))) =>
  auditFacts({ tables: new Map(tables.map((t) => [t.name, t])), role, entities } satisfies CatalogFacts);
const problems = (tables: TableFacts[], entities?: EntityFacts[]) => audit(tables, entities).rows.flatMap((r) => r.problems);

describe('catalog audit rules (no database)', () => {
  it('passes a mapped, forced, policed and audited tenant table', () => {
    const report = audit([table('things')]);
    expect(report.ok).toBe(true);
    expect(report.summary.audit).toEqual({ count: 1, total: 1, percent: 100 });
  });

  it('fails a tenant table that no entity maps, and an entity whose table is missing', () => {
    expect(problems([table('things')], [])).toEqual([expect.stringMatching(/mapped by no entity/)]);
    expect(problems([], [entity('ghosts')])).toEqual([expect.stringMatching(/table does not exist/)]);
  });

  it('fails a tenant table without the audit trigger unless it states why', () => {
    expect(problems([table('things', { audited: false })])).toEqual([expect.stringMatching(/^no audit triggers/)]);
    const exempt = audit([table('things', { audited: false, comment: 'audit-exempt: derived history' })]);
    expect(exempt.ok).toBe(true);
    expect(exempt.rows[0].auditExempt).toBe('derived history');
  });

  it('fails RLS that is not forced, and a policy that does not compare the tenant', () => {
    expect(problems([table('things', { rlsForced: false })])).toEqual(['row level security not forced']);
    const open = table('things', {
      policies: [{ name: 'p', permissive: true, roles: ['public'], cmd: 'ALL', qual: 'true', withCheck: null }],
    });
    expect(problems([open])).toEqual([expect.stringMatching(/^no policy for ALL/), expect.stringMatching(/^permissive policy p/)]);
  });

  it('fails a global table without a reason, and passes one with it', () => {
    const global = table('users', { columns: new Map([['id', { type: 'uuid', nullable: false }]]), policies: [], audited: false });
    expect(problems([global], [])).toEqual([expect.stringMatching(/no `global: <reason>` comment/)]);
    expect(problems([{ ...global, comment: 'global: identities' }], [])).toEqual([]);
  });

  it('fails an entity whose version column the table lacks', () => {
    const noVersion = table('things', { columns: new Map([['tenant_id', { type: 'uuid', nullable: false }]]) });
    expect(problems([noVersion])).toEqual([expect.stringMatching(/has @VersionColumn but things.version/)]);
  });

  it('fails an application role that could bypass RLS or own objects', () => {
    expect(auditRole({ ...role, bypassRls: true, ownedRelations: ['public.x'] }).problems).toEqual([
      'crm_app has BYPASSRLS',
      'crm_app owns public.x',
    ]);
    expect(auditRole({ ...role, exists: false }).problems).toEqual(['role crm_app does not exist']);
  });
});
