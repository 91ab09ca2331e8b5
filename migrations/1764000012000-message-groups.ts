import { MigrationInterface, QueryRunner } from 'typeorm';
import { run, tenantTable } from './sql';

/**
 * Message groups: a contact's inbound messages on a channel that came within the channel's debounce window of
 * each other (the unit later AI processing takes). One pending group per contact and channel; each message
 * records its group.
 */
export class MessageGroups1764000012000 implements MigrationInterface {
  name = 'MessageGroups1764000012000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `CREATE TABLE message_groups (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        chat_id uuid NOT NULL,
        channel_id uuid NOT NULL,
        session_id uuid NOT NULL,
        status text NOT NULL,
        message_ids uuid[] NOT NULL DEFAULT '{}',
        first_message_at timestamptz NOT NULL,
        last_message_at timestamptz NOT NULL,
        debounce_ms integer NOT NULL,
        expires_at timestamptz NOT NULL,
        completed_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_message_groups PRIMARY KEY (id),
        CONSTRAINT uq_message_groups_tenant_id UNIQUE (tenant_id, id),
        CONSTRAINT fk_message_groups_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT fk_message_groups_chat FOREIGN KEY (tenant_id, chat_id) REFERENCES chats (tenant_id, id),
        CONSTRAINT fk_message_groups_session FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, id),
        CONSTRAINT ck_message_groups_status CHECK (status IN ('pending', 'completed')),
        CONSTRAINT ck_message_groups_completed CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
        CONSTRAINT ck_message_groups_window CHECK (debounce_ms >= 0 AND last_message_at >= first_message_at AND expires_at >= last_message_at)
      )`,
      `CREATE UNIQUE INDEX uq_message_groups_pending ON message_groups (tenant_id, contact_id, channel_id) WHERE status = 'pending'`,
      `CREATE INDEX idx_message_groups_session ON message_groups (tenant_id, session_id)`,
      ...tenantTable('message_groups'),
      `ALTER TABLE messages ADD COLUMN message_group_id uuid`,
      `ALTER TABLE messages ADD CONSTRAINT fk_messages_message_group FOREIGN KEY (tenant_id, message_group_id) REFERENCES message_groups (tenant_id, id)`,
      `CREATE INDEX idx_messages_message_group ON messages (tenant_id, message_group_id) WHERE message_group_id IS NOT NULL`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [`ALTER TABLE messages DROP COLUMN message_group_id`, `DROP TABLE message_groups`]);
  }
}
