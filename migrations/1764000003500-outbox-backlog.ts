import { MigrationInterface, QueryRunner } from 'typeorm';
import { definerFunction, run } from './sql';

/** The outbox backlog by state, across tenants, for GET /metrics: counts only, callable by the relay's role alone. */
export class OutboxBacklog1764000003500 implements MigrationInterface {
  name = 'OutboxBacklog1764000003500';

  async up(q: QueryRunner): Promise<void> {
    await run(
      q,
      definerFunction(
        'outbox_backlog()',
        `CREATE FUNCTION outbox_backlog()
         RETURNS TABLE (pending bigint, retrying bigint, processing bigint, dead bigint, oldest_unfinished_seconds double precision)
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
           SELECT count(*) FILTER (WHERE status = 'pending' AND retry_count = 0),
                  count(*) FILTER (WHERE status = 'pending' AND retry_count > 0),
                  count(*) FILTER (WHERE status = 'processing'),
                  count(*) FILTER (WHERE status = 'failed'),
                  coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE status IN ('pending', 'processing'))), 0)::double precision
             FROM outbox_events WHERE status <> 'processed'
         $$`,
        'crm_relay',
      ),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [`DROP FUNCTION outbox_backlog()`]);
  }
}
