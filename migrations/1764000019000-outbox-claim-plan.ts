import { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_CLAIM_V1 } from './1764000000000-kernel';
import { definerFunction, run } from './sql';

/**
 * `outbox_claim()` with plans that stay cheap whatever the statistics say.
 *
 * Right after a backlog drained, the statistics still counted it as unfinished, and the planner hashed the whole
 * table (every processed row, dead or alive) to check the candidates' earlier events, or walked the dead entries of
 * the leased and retrying indexes with bitmap scans: 5 to 30 ms a claim for a single event. Each candidate's earlier
 * events are now one probe of the aggregate's unfinished-events index (a subquery with LIMIT 1 stays a per-row
 * sub-plan, never a join). Without sorts (`enable_sort = off`), the candidates come from the unfinished-events index
 * in sequence order and the probes stop at the batch size: with a sort allowed, the planner could run them on every
 * due event and sort those, each claim of a 50,000-event backlog paying for the whole backlog. Same rules, same
 * result: see the kernel migration.
 *
 * Planned at every call (`force_custom_plan` keeps PostgreSQL 18, which caches plans of SQL functions, doing so): a
 * generic plan made while the table was empty scanned it in nested loops once a burst came (a claim of 5,000 events
 * did not finish in ten minutes), and on PostgreSQL 18 a cached plan made each claim 3 to 4 times slower. Without
 * JIT: a claim of 500 from a large backlog can be estimated costly enough to be compiled, 250 ms of compilation for
 * 15 ms of work (measured with a PL/pgSQL version, which was also slower than this one under a steady load).
 */
export class OutboxClaimPlan1764000019000 implements MigrationInterface {
  name = 'OutboxClaimPlan1764000019000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `DROP FUNCTION outbox_claim(integer, integer, integer)`,
      ...definerFunction(
        'outbox_claim(integer, integer, integer)',
        `CREATE FUNCTION outbox_claim(p_limit integer, p_lease_seconds integer, p_max_attempts integer DEFAULT 8)
         RETURNS SETOF outbox_events LANGUAGE sql SECURITY DEFINER
         SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan SET jit = off SET enable_sort = off AS $$
           UPDATE outbox_events
              SET status = 'failed', locked_until = NULL, retry_count = retry_count + 1,
                  last_error = 'the relay delivering it stopped before finishing (lease expired) on the last attempt'
            WHERE status = 'processing' AND locked_until < now() AND retry_count + 1 >= p_max_attempts;
           WITH claim AS (SELECT gen_random_uuid() AS token), candidates AS (
             SELECT o.id, o.aggregate_id, o.sequence FROM outbox_events o
             WHERE ((o.status = 'pending' AND o.next_attempt_at <= now())
                OR (o.status = 'processing' AND o.locked_until < now()))
               -- Behind an earlier event that is leased or waiting for its retry: skipped before LIMIT, so a long
               -- queue behind one retrying event never fills the batch and stalls the others.
               AND (SELECT true FROM outbox_events b
                     WHERE b.aggregate_id = o.aggregate_id AND b.sequence < o.sequence AND b.status IN ('pending', 'processing')
                       AND ((b.status = 'processing' AND b.locked_until >= now()) OR (b.status = 'pending' AND b.next_attempt_at > now()))
                     LIMIT 1) IS NULL
             ORDER BY o.sequence
             LIMIT p_limit
             FOR UPDATE SKIP LOCKED
           ), ready AS (
             -- Behind an earlier unfinished event that this claim did not take (locked by another relay's claim).
             SELECT c.id FROM candidates c
             WHERE (SELECT true FROM outbox_events p
                     WHERE p.aggregate_id = c.aggregate_id AND p.sequence < c.sequence AND p.status IN ('pending', 'processing')
                       AND p.id NOT IN (SELECT id FROM candidates)
                     LIMIT 1) IS NULL
           )
           UPDATE outbox_events o
              SET status = 'processing', locked_until = now() + make_interval(secs => p_lease_seconds), claim_token = claim.token,
                  retry_count = o.retry_count + CASE WHEN o.status = 'processing' THEN 1 ELSE 0 END
             FROM ready, claim WHERE o.id = ready.id
           RETURNING o.*
         $$`,
        'crm_relay',
      ),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [
      `DROP FUNCTION outbox_claim(integer, integer, integer)`,
      ...definerFunction('outbox_claim(integer, integer, integer)', OUTBOX_CLAIM_V1, 'crm_relay'),
    ]);
  }
}
