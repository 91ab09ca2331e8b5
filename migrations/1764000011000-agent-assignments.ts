import { MigrationInterface, QueryRunner } from 'typeorm';
import { run, tenantTable } from './sql';

/**
 * Agents as an aggregate (contact email, settings for AI and bot agents; a human agent may exist before it is
 * linked to a member), who a session is assigned to with the history of its assignments (`agent_sessions`), and
 * the agent who sent each outbound message.
 */
export class AgentAssignments1764000011000 implements MigrationInterface {
  name = 'AgentAssignments1764000011000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `ALTER TABLE agents ADD COLUMN email text, ADD COLUMN config jsonb NOT NULL DEFAULT '{}'::jsonb`,
      `ALTER TABLE agents DROP CONSTRAINT ck_agents_user`,
      `ALTER TABLE agents ADD CONSTRAINT ck_agents_user CHECK (user_id IS NULL OR type = 'human')`,
      `CREATE INDEX idx_agents_project ON agents (tenant_id, project_id, id)`,
      `ALTER TABLE agents ADD CONSTRAINT ck_agents_system CHECK (type <> 'system' OR name IN ('System', 'API'))`,
      `ALTER TABLE sessions ADD COLUMN agent_id uuid,
         ADD CONSTRAINT fk_sessions_agent FOREIGN KEY (tenant_id, agent_id) REFERENCES agents (tenant_id, id)`,
      `ALTER TABLE messages ADD COLUMN sent_by_agent_id uuid,
         ADD CONSTRAINT fk_messages_sent_by_agent FOREIGN KEY (tenant_id, sent_by_agent_id) REFERENCES agents (tenant_id, id)`,
      `CREATE TABLE agent_sessions (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        agent_id uuid NOT NULL,
        session_id uuid NOT NULL,
        assigned_at timestamptz NOT NULL,
        unassigned_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_agent_sessions PRIMARY KEY (id),
        CONSTRAINT fk_agent_sessions_agent FOREIGN KEY (tenant_id, agent_id) REFERENCES agents (tenant_id, id),
        CONSTRAINT fk_agent_sessions_session FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, id),
        CONSTRAINT ck_agent_sessions_period CHECK (unassigned_at IS NULL OR unassigned_at >= assigned_at)
      )`,
      // one current assignment per session; the history reads by session, newest first
      `CREATE UNIQUE INDEX uq_agent_sessions_current ON agent_sessions (tenant_id, session_id) WHERE unassigned_at IS NULL`,
      `CREATE INDEX idx_agent_sessions_session ON agent_sessions (tenant_id, session_id, assigned_at DESC)`,
      `CREATE INDEX idx_agent_sessions_agent ON agent_sessions (tenant_id, agent_id, assigned_at DESC)`,
      ...tenantTable('agent_sessions'),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [
      `DROP TABLE agent_sessions`,
      `ALTER TABLE messages DROP CONSTRAINT fk_messages_sent_by_agent, DROP COLUMN sent_by_agent_id`,
      `ALTER TABLE sessions DROP CONSTRAINT fk_sessions_agent, DROP COLUMN agent_id`,
      `ALTER TABLE agents DROP CONSTRAINT ck_agents_system`,
      `DROP INDEX idx_agents_project`,
      `ALTER TABLE agents DROP CONSTRAINT ck_agents_user`,
      // agents created as unlinked humans had no place before: they leave with this migration
      `DELETE FROM agents WHERE type = 'human' AND user_id IS NULL`,
      `ALTER TABLE agents ADD CONSTRAINT ck_agents_user CHECK ((type = 'human') = (user_id IS NOT NULL))`,
      `ALTER TABLE agents DROP COLUMN email, DROP COLUMN config`,
    ]);
  }
}
