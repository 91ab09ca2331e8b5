import { MigrationInterface, QueryRunner } from 'typeorm';
import { definerFunction, globalTable, run, servicePolicy, tenantTable } from './sql';

/**
 * Channels: the provider types, a project's channels (a WAHA session today) with their secrets sealed at rest,
 * and the transactional inbox of raw provider events. The webhook look-up runs before the tenant is known, so it
 * is a SECURITY DEFINER function callable by crm_auth only, keyed by the SHA-256 of the webhook URL's token.
 */
export class Channels1764000007000 implements MigrationInterface {
  name = 'Channels1764000007000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `CREATE TABLE channel_types (
        type text NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_channel_types PRIMARY KEY (type)
      )`,
      ...globalTable('channel_types', 'the provider types a channel may have (reference data, the same for every tenant)'),
      `INSERT INTO channel_types (type, name) VALUES ('waha', 'WhatsApp through WAHA')`,

      `CREATE TABLE channels (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        name text NOT NULL,
        type text NOT NULL,
        status text NOT NULL DEFAULT 'inactive',
        -- Activated by a user: only then do the session states the provider reports move the status.
        enabled boolean NOT NULL DEFAULT false,
        config jsonb NOT NULL DEFAULT '{}'::jsonb,
        api_key_encrypted text,
        webhook_secret_encrypted text,
        webhook_token_hash text NOT NULL,
        session_timeout_minutes integer,
        debounce_ms integer NOT NULL DEFAULT 15000,
        pipeline_id uuid,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_channels PRIMARY KEY (id),
        CONSTRAINT uq_channels_tenant_id UNIQUE (tenant_id, id),
        CONSTRAINT uq_channels_webhook_token_hash UNIQUE (webhook_token_hash),
        CONSTRAINT fk_channels_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT fk_channels_type FOREIGN KEY (type) REFERENCES channel_types (type),
        CONSTRAINT ck_channels_status CHECK (status IN ('inactive', 'connecting', 'qr_required', 'active', 'error')),
        CONSTRAINT ck_channels_session_timeout CHECK (session_timeout_minutes IS NULL OR session_timeout_minutes BETWEEN 1 AND 10080),
        CONSTRAINT ck_channels_debounce CHECK (debounce_ms BETWEEN 0 AND 600000)
      )`,
      `CREATE INDEX idx_channels_tenant_project_id ON channels (tenant_id, project_id, id)`,
      ...tenantTable('channels'),
      ...servicePolicy('channels'),

      // The inbox: each webhook delivery as received, before any processing. Append-only.
      `CREATE TABLE channel_inbound_events (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        channel_id uuid NOT NULL,
        provider text NOT NULL,
        event text NOT NULL,
        body text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_channel_inbound_events PRIMARY KEY (id),
        CONSTRAINT fk_channel_inbound_events_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT fk_channel_inbound_events_channel FOREIGN KEY (tenant_id, channel_id) REFERENCES channels (tenant_id, id)
      )`,
      `CREATE INDEX idx_channel_inbound_events_channel ON channel_inbound_events (tenant_id, channel_id, id)`,
      ...tenantTable('channel_inbound_events', 'SELECT, INSERT', {
        auditExempt: 'the raw inbox of provider webhooks: append-only, each row is itself the record of what arrived',
      }),

      // The channel a webhook token belongs to, with what the webhook needs to check the delivery: nothing else.
      ...definerFunction(
        'auth_channel_by_webhook_token(text)',
        `CREATE FUNCTION auth_channel_by_webhook_token(p_token_hash text)
         RETURNS TABLE (channel_id uuid, tenant_id uuid, project_id uuid, type text, webhook_secret_encrypted text,
                        session text, status text, deleted boolean)
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
           SELECT c.id, c.tenant_id, c.project_id, c.type, c.webhook_secret_encrypted, c.config->>'session', c.status,
                  c.deleted_at IS NOT NULL
             FROM channels c
            WHERE c.webhook_token_hash = p_token_hash
         $$`,
        'crm_auth',
      ),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [
      `DROP FUNCTION auth_channel_by_webhook_token(text)`,
      `DROP TABLE channel_inbound_events`,
      `REVOKE SELECT ON channels FROM crm_service`,
      `DROP TABLE channels`,
      `DROP TABLE channel_types`,
    ]);
  }
}
