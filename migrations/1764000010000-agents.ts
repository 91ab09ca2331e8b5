import { MigrationInterface, QueryRunner } from 'typeorm';
import { run, tenantTable } from './sql';

/**
 * Agents (who works a conversation: members, AI, bots, the project's system agents), one per member and per system
 * name; and sessions closed by hand (`POST /sessions/:id/close`) end with the reason `manual`.
 */
export class Agents1764000010000 implements MigrationInterface {
  name = 'Agents1764000010000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `ALTER TABLE sessions DROP CONSTRAINT ck_sessions_end_reason`,
      `ALTER TABLE sessions ADD CONSTRAINT ck_sessions_end_reason CHECK (end_reason IS NULL OR end_reason IN ('inactivity_timeout', 'manual'))`,
      `CREATE TABLE agents (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        type text NOT NULL,
        name text NOT NULL,
        user_id uuid,
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_agents PRIMARY KEY (id),
        CONSTRAINT uq_agents_tenant_id UNIQUE (tenant_id, id),
        CONSTRAINT fk_agents_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT ck_agents_type CHECK (type IN ('human', 'ai', 'bot', 'system')),
        CONSTRAINT ck_agents_user CHECK ((type = 'human') = (user_id IS NOT NULL)),
        CONSTRAINT ck_agents_name CHECK (length(name) BETWEEN 1 AND 200)
      )`,
      `CREATE UNIQUE INDEX uq_agents_member ON agents (tenant_id, project_id, user_id) WHERE user_id IS NOT NULL`,
      `CREATE UNIQUE INDEX uq_agents_system ON agents (tenant_id, project_id, name) WHERE type = 'system'`,
      ...tenantTable('agents'),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [
      `DROP TABLE agents`,
      `UPDATE sessions SET end_reason = 'inactivity_timeout' WHERE end_reason = 'manual'`,
      `ALTER TABLE sessions DROP CONSTRAINT ck_sessions_end_reason`,
      `ALTER TABLE sessions ADD CONSTRAINT ck_sessions_end_reason CHECK (end_reason IS NULL OR end_reason IN ('inactivity_timeout'))`,
    ]);
  }
}
