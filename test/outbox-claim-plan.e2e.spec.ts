import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';

/**
 * The relay's claim on an outbox analyzed while (nearly) empty that then took a burst: its statements must use plain index scans, which skip the dead index entries of
 * processed rows after one pass, never bitmap scans, which visit every one of them on every claim until a vacuum.
 * Plans, not times; all in one transaction rolled back, then analyzed again: the shared database is left as it was.
 */
describe('outbox claim plan', () => {
  let admin: Client;

  beforeAll(async () => {
    admin = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await admin.connect();
  });
  afterAll(() => admin.end());

  it('claims the due events through plain index scans, with 20,000 processed events behind them', async () => {
    const notices: string[] = [];
    admin.on('notice', (n) => notices.push(n.message ?? ''));
    const tenantId = randomUUID();
    const insert = (count: number, status: string) =>
      admin.query(
        `INSERT INTO outbox_events (id, event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_data, occurred_at, status)
         SELECT gen_random_uuid(), gen_random_uuid(), $1, 'plan', gen_random_uuid(), 1, 'plan.test', '{}', now(), $3
           FROM generate_series(1, $2::int)`,
        [tenantId, count, status],
      );
    await admin.query('BEGIN');
    try {
      // Statistics of an empty outbox (rows deleted by this transaction count as dead), then the burst.
      await admin.query('DELETE FROM outbox_events');
      await admin.query('ANALYZE outbox_events');
      await insert(20_000, 'processed');
      await insert(3, 'pending');
      await admin.query(`LOAD 'auto_explain'`);
      await admin.query(`SET LOCAL auto_explain.log_min_duration = 0`);
      await admin.query(`SET LOCAL auto_explain.log_nested_statements = on`);
      await admin.query(`SET LOCAL auto_explain.log_level = notice`);
      const { rows } = await admin.query(`SELECT tenant_id FROM outbox_claim(500, 60, 8) WHERE tenant_id = $1`, [tenantId]);
      expect(rows).toHaveLength(3);
      const plans = notices.join('\n');
      expect(plans).toMatch(/Index Scan using idx_outbox_events_unfinished/);
      expect(plans).not.toMatch(/Bitmap/);
    } finally {
      await admin.query('ROLLBACK');
      // ANALYZE wrote the empty table's size into pg_class in place (not rolled back): measure it again.
      await admin.query('ANALYZE outbox_events');
    }
  });
});
