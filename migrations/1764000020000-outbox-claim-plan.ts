import { MigrationInterface, QueryRunner } from 'typeorm';
import { run } from './sql';

const CLAIM = 'outbox_claim(integer, integer, integer)';

/**
 * Keeps every claim cheap between vacuums. Each claim re-planned its statements (about a millisecond, more than
 * running them on a steady trickle), and with a fresh or shrunken table's statistics the planner chose bitmap
 * scans of the "unfinished" indexes: those cannot mark the entries of processed rows dead as plain index scans
 * do, so every claim walked every event processed since the last vacuum (at 1,000 events/s, tens of thousands
 * before autovacuum comes round, and claims of 5 to 20 ms). A generic plan is made once per connection; the
 * plain index scans skip dead entries after the first pass.
 */
export class OutboxClaimPlan1764000020000 implements MigrationInterface {
  name = 'OutboxClaimPlan1764000020000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `ALTER FUNCTION ${CLAIM} SET plan_cache_mode = force_generic_plan`,
      `ALTER FUNCTION ${CLAIM} SET enable_bitmapscan = off`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [`ALTER FUNCTION ${CLAIM} RESET plan_cache_mode`, `ALTER FUNCTION ${CLAIM} RESET enable_bitmapscan`]);
  }
}
