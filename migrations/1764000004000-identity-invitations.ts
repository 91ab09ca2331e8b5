import { MigrationInterface, QueryRunner } from 'typeorm';
import { run } from './sql';

/**
 * Identity, second step: API keys become versioned aggregates (their revocation is a compare-and-swap delete).
 */
export class IdentityInvitations1764000004000 implements MigrationInterface {
  name = 'IdentityInvitations1764000004000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `ALTER TABLE user_api_keys ADD COLUMN version integer NOT NULL DEFAULT 1, ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [`ALTER TABLE user_api_keys DROP COLUMN updated_at, DROP COLUMN version`]);
  }
}
