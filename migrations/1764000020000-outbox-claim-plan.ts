import { MigrationInterface, QueryRunner } from 'typeorm';
import { run } from './sql';

const CLAIM = 'outbox_claim(integer, integer, integer)';

/**
 * Keeps every claim cheap between vacuums. With a fresh or shrunken table's statistics the planner chose bitmap
 * scans of the "unfinished" indexes: those cannot mark the entries of processed rows dead as plain index scans
 * do, so every claim walked every event processed since the last vacuum (at 1,000 events/s, tens of thousands
 * before autovacuum comes round, and claims of 5 to 20 ms). Plain index scans skip them after the first pass.
 * (A generic plan would save the planning of each claim, but one made while the table is small is frozen for the
 * connection and drains a backlog at a third of the speed: the claim keeps custom plans.)
 */
export class OutboxClaimPlan1764000020000 implements MigrationInterface {
  name = 'OutboxClaimPlan1764000020000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [`ALTER FUNCTION ${CLAIM} SET enable_bitmapscan = off`]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [`ALTER FUNCTION ${CLAIM} RESET enable_bitmapscan`]);
  }
}
