import { MigrationInterface, QueryRunner } from 'typeorm';
import { run } from './sql';

/** Outbound messages: who asked for the send, and why it failed when it did. */
export class Outbound1764000009000 implements MigrationInterface {
  name = 'Outbound1764000009000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `ALTER TABLE messages ADD COLUMN sent_by_user_id uuid, ADD COLUMN error text`,
      // the echo of a send that overtook the provider's answer is matched to the pending message of its chat
      `CREATE INDEX idx_messages_chat_pending ON messages (tenant_id, chat_id, created_at) WHERE status = 'pending'`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [`DROP INDEX idx_messages_chat_pending`, `ALTER TABLE messages DROP COLUMN sent_by_user_id, DROP COLUMN error`]);
  }
}
