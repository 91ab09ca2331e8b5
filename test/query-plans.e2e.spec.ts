import { Client } from 'pg';
import { toClientConfig, parseDatabaseUrl } from '#persistence/connection-options';
import { planAsApp, usesIndex, withPlansLogged } from '../bench/explain';
import { Seeded, seedProject } from '../bench/scale-seed';
import { registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

/**
 * Issue 9: the list, search and page queries use their indexes on a seeded project, read as the application role
 * under RLS. Each query is the one the adapter sent for a real request (captured from TypeORM's logger), explained
 * with ANALYZE as crm_app; auto_explain also shows the plans of the statements inside contact_search. Plans, not
 * times: an index (or bitmap) scan on the named index and no sequential scan of the big tables.
 */
let app: TestApp;
let tenant: Tenant;
let seeded: Seeded;
let admin: Client;

beforeAll(async () => {
  app = await startTestApp({ relay: false });
  tenant = await registerTenant(app.http, 'plans');
  await registerTenant(app.http, 'plans-other');
  admin = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
  await admin.connect();
  seeded = await seedProject(admin, tenant, { contacts: 100_000, chats: 200, messages: 20_000, timeline: 1_000 });
  for (const key of ['plan', 'city'])
    await app.http.post('/api/v1/contact-custom-fields').set(tenant.auth).send({ key, label: key, type: 'text' }).expect(201);
}, 120_000);

afterAll(async () => {
  await admin?.end();
  await app?.close();
});

/** The SQL and parameters of the adapter's SELECT on `table` for one request. */
async function adapterQuery(path: string, table: string): Promise<{ sql: string; params: unknown[] }> {
  const logger = app.dataSource.logger;
  const seen: { sql: string; params: unknown[] }[] = [];
  const spy = { ...logger, logQuery: (sql: string, params?: unknown[]) => void seen.push({ sql, params: params ?? [] }) };
  Object.assign(app.dataSource, { logger: spy });
  try {
    await app.http.get(path).set(tenant.auth).expect(200);
  } finally {
    Object.assign(app.dataSource, { logger });
  }
  const select = seen.find((q) => /^SELECT/i.test(q.sql) && new RegExp(`FROM "?${table}"?`, 'i').test(q.sql));
  if (!select) throw new Error(`no SELECT on ${table} for ${path}`);
  return select;
}

const planOf = (query: { sql: string; params: unknown[] }) => planAsApp(admin, tenant.tenantId, query.sql, query.params);

describe('query plans on a seeded project, as the application role under RLS', () => {
  it('pages contacts newest first through an index in keyset order', async () => {
    const plan = await planOf(await adapterQuery('/api/v1/contacts?limit=50', 'contacts'));
    expect(plan).not.toMatch(/Seq Scan on contacts/);
    expect(plan).toMatch(/Index Scan Backward using \w+ on contacts/);
  });

  it.each([
    ['a rare q fragment (phone digits)', () => `q=${seeded.samples.phone.slice(-7)}`, 'idx_contacts_search'],
    ['a rare q fragment (email)', () => `q=${seeded.samples.email.split('@')[0]}`, 'idx_contacts_search'],
    ['a rare tag', () => 'tag=churned', 'idx_contacts_tags'],
    ['a rare custom field value', () => 'customField=plan:basic-trial', 'idx_contacts_custom_fields'],
  ])('finds %s through its own index, not a walk of the tenant', async (_label, filter, index) => {
    const plan = await planOf(await adapterQuery(`/api/v1/contacts?${filter()}`, 'contacts'));
    expect(plan).toMatch(/contact_search/);
    expect(plan).not.toMatch(/Seq Scan on contacts/);
    expect(usesIndex(plan, index)).toBe(true);
  });

  it('finds a common filter among the newest contacts in keyset order', async () => {
    const plan = await planOf(await adapterQuery('/api/v1/contacts?tag=lead', 'contacts'));
    expect(plan).not.toMatch(/Seq Scan on contacts/);
    expect(plan).toMatch(/Index Scan Backward using \w+ on contacts/);
    expect(plan).not.toMatch(/Bitmap Index Scan/);
  });

  it("pages a busy chat's messages through idx_messages_chat_sent", async () => {
    const plan = await planOf(await adapterQuery(`/api/v1/chats/${seeded.busyChatId}/messages?limit=50`, 'messages'));
    expect(plan).not.toMatch(/Seq Scan on messages/);
    expect(usesIndex(plan, 'idx_messages_chat_sent')).toBe(true);
  });

  it("pages a busy contact's timeline through idx_contact_events_contact_id", async () => {
    const plan = await planOf(await adapterQuery(`/api/v1/contacts/${seeded.busyContactId}/timeline?limit=50`, 'contact_events'));
    expect(plan).not.toMatch(/Seq Scan on contact_events/);
    expect(usesIndex(plan, 'idx_contact_events_contact_id')).toBe(true);
  });
});

describe("the relay's claim", () => {
  /** Every plan `outbox_claim()` runs as crm_relay, rolled back. */
  async function claimPlans(): Promise<{ plans: string; claimed: number }> {
    const { result, plans } = await withPlansLogged(admin, 'crm_relay', () => admin.query(`SELECT * FROM outbox_claim(500, 60, 8)`));
    return { plans: plans.join('\n'), claimed: result.rowCount ?? 0 };
  }

  it('probes indexes right after a backlog drained, while the statistics still count it as unfinished', async () => {
    const insert = (count: number) =>
      admin.query(
        `INSERT INTO outbox_events (id, event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_data, occurred_at)
         SELECT gen_random_uuid(), gen_random_uuid(), $1, 'plan', gen_random_uuid(), 1, 'plan.ping', '{}', now() FROM generate_series(1, $2)`,
        [tenant.tenantId, count],
      );
    await insert(20_000);
    await admin.query('ANALYZE outbox_events');
    // No relay runs here: every event so far is marked processed, as a relay draining them would leave them.
    await admin.query(`UPDATE outbox_events SET status = 'processed', processed_at = now() WHERE status <> 'processed'`);
    await insert(1);

    const { plans, claimed } = await claimPlans();
    expect(claimed).toBe(1);
    // The candidates in sequence order, and each one's earlier events a probe of the aggregate's index.
    expect(plans).toMatch(/Index Scan using idx_outbox_events_unfinished on outbox_events/);
    expect(plans).not.toMatch(/Sort|Bitmap/);
    expect(plans).toMatch(/Index Scan using idx_outbox_events_aggregate_unfinished on outbox_events p\b/);
    expect(plans).not.toMatch(/Seq Scan on outbox_events/);
  });
});
