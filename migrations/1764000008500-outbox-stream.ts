import { MigrationInterface, QueryRunner } from 'typeorm';
import { run } from './sql';

/**
 * The inserting transaction of each outbox event, for GET /events/stream: sequences are taken before commit, so a
 * later sequence can become visible before an earlier one. A stream orders by (txid, sequence) and only reads rows
 * whose transaction is older than every transaction still running (pg_snapshot_xmin): nothing can appear behind
 * its cursor any more.
 */
export class OutboxStream1764000008500 implements MigrationInterface {
  name = 'OutboxStream1764000008500';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `ALTER TABLE outbox_events ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id()`,
      `CREATE INDEX idx_outbox_events_stream ON outbox_events (project_id, txid, sequence)`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [`DROP INDEX idx_outbox_events_stream`, `ALTER TABLE outbox_events DROP COLUMN txid`]);
  }
}
