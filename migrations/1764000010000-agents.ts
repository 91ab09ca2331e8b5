import { MigrationInterface, QueryRunner } from 'typeorm';
import { run } from './sql';

/** Sessions closed by hand (`POST /sessions/:id/close`) end with the reason `manual`. */
export class Agents1764000010000 implements MigrationInterface {
  name = 'Agents1764000010000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `ALTER TABLE sessions DROP CONSTRAINT ck_sessions_end_reason`,
      `ALTER TABLE sessions ADD CONSTRAINT ck_sessions_end_reason CHECK (end_reason IS NULL OR end_reason IN ('inactivity_timeout', 'manual'))`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [
      `UPDATE sessions SET end_reason = 'inactivity_timeout' WHERE end_reason = 'manual'`,
      `ALTER TABLE sessions DROP CONSTRAINT ck_sessions_end_reason`,
      `ALTER TABLE sessions ADD CONSTRAINT ck_sessions_end_reason CHECK (end_reason IS NULL OR end_reason IN ('inactivity_timeout'))`,
    ]);
  }
}
