import { MigrationInterface, QueryRunner } from 'typeorm';
import { run, tenantTable } from './sql';

/**
 * Conversations: the chats of each channel, their messages (one row per provider message however many times it
 * was delivered: unique per channel on the provider's id), and the delivery reports that arrived before their
 * message. Channels and contacts belong to other contexts: referenced by id, without cross-context foreign keys.
 */
export class Conversations1764000008000 implements MigrationInterface {
  name = 'Conversations1764000008000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `CREATE TABLE chats (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        channel_id uuid NOT NULL,
        external_id text NOT NULL,
        type text NOT NULL,
        contact_id uuid,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_chats PRIMARY KEY (id),
        CONSTRAINT uq_chats_tenant_id UNIQUE (tenant_id, id),
        CONSTRAINT uq_chats_channel_external UNIQUE (tenant_id, channel_id, external_id),
        CONSTRAINT fk_chats_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT ck_chats_type CHECK (type IN ('direct', 'group'))
      )`,
      `CREATE INDEX idx_chats_project_id ON chats (tenant_id, project_id, id)`,
      `CREATE INDEX idx_chats_contact ON chats (tenant_id, contact_id) WHERE contact_id IS NOT NULL`,
      ...tenantTable('chats'),

      // A conversation with a contact on a channel: one active at a time, ended after timeout_minutes idle.
      `CREATE TABLE sessions (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        channel_id uuid NOT NULL,
        chat_id uuid NOT NULL,
        status text NOT NULL,
        started_at timestamptz NOT NULL,
        last_message_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text,
        inbound_count integer NOT NULL DEFAULT 0,
        outbound_count integer NOT NULL DEFAULT 0,
        first_response_at timestamptz,
        timeout_minutes integer NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_sessions PRIMARY KEY (id),
        CONSTRAINT uq_sessions_tenant_id UNIQUE (tenant_id, id),
        CONSTRAINT fk_sessions_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT fk_sessions_chat FOREIGN KEY (tenant_id, chat_id) REFERENCES chats (tenant_id, id),
        CONSTRAINT ck_sessions_status CHECK (status IN ('active', 'ended')),
        CONSTRAINT ck_sessions_ended CHECK ((status = 'ended') = (ended_at IS NOT NULL AND end_reason IS NOT NULL)),
        CONSTRAINT ck_sessions_end_reason CHECK (end_reason IS NULL OR end_reason IN ('inactivity_timeout')),
        CONSTRAINT ck_sessions_counts CHECK (inbound_count >= 0 AND outbound_count >= 0),
        CONSTRAINT ck_sessions_timeout CHECK (timeout_minutes BETWEEN 1 AND 10080)
      )`,
      `CREATE UNIQUE INDEX uq_sessions_active ON sessions (tenant_id, contact_id, channel_id) WHERE status = 'active'`,
      `CREATE INDEX idx_sessions_contact ON sessions (tenant_id, contact_id, started_at DESC)`,
      ...tenantTable('sessions'),

      `CREATE TABLE messages (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        chat_id uuid NOT NULL,
        channel_id uuid NOT NULL,
        contact_id uuid,
        session_id uuid,
        direction text NOT NULL,
        type text NOT NULL,
        text text,
        media jsonb,
        location jsonb,
        contacts jsonb,
        status text NOT NULL,
        external_id text NOT NULL,
        wa_message_id text NOT NULL,
        reply_to_message_id uuid,
        attribution jsonb,
        reactions jsonb NOT NULL DEFAULT '{}'::jsonb,
        sent_at timestamptz NOT NULL,
        edited_at timestamptz,
        revoked_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_messages PRIMARY KEY (id),
        CONSTRAINT uq_messages_tenant_id UNIQUE (tenant_id, id),
        CONSTRAINT uq_messages_channel_external UNIQUE (tenant_id, channel_id, external_id),
        CONSTRAINT fk_messages_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT fk_messages_chat FOREIGN KEY (tenant_id, chat_id) REFERENCES chats (tenant_id, id),
        CONSTRAINT fk_messages_session FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, id),
        CONSTRAINT fk_messages_reply_to FOREIGN KEY (tenant_id, reply_to_message_id) REFERENCES messages (tenant_id, id),
        CONSTRAINT ck_messages_direction CHECK (direction IN ('inbound', 'outbound')),
        CONSTRAINT ck_messages_status CHECK (status IN ('failed', 'pending', 'sent', 'delivered', 'read', 'played'))
      )`,
      `CREATE INDEX idx_messages_channel_wa_id ON messages (tenant_id, channel_id, wa_message_id)`,
      // a chat's messages newest first (keyset on sent_at, id)
      `CREATE INDEX idx_messages_chat_sent ON messages (tenant_id, chat_id, sent_at DESC, id DESC)`,
      ...tenantTable('messages'),

      // Delivery reports whose message has not arrived yet (acks and messages travel separately): applied and
      // deleted when it arrives.
      `CREATE TABLE pending_acks (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        channel_id uuid NOT NULL,
        wa_message_id text NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_pending_acks PRIMARY KEY (id),
        CONSTRAINT fk_pending_acks_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT ck_pending_acks_status CHECK (status IN ('failed', 'pending', 'sent', 'delivered', 'read', 'played'))
      )`,
      `CREATE INDEX idx_pending_acks_message ON pending_acks (tenant_id, channel_id, wa_message_id)`,
      ...tenantTable('pending_acks', 'SELECT, INSERT, DELETE', {
        auditExempt: 'a transient buffer of delivery reports awaiting their message; the status they set on it is audited there',
      }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [`DROP TABLE pending_acks`, `DROP TABLE messages`, `DROP TABLE sessions`, `DROP TABLE chats`]);
  }
}
