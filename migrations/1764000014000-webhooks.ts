import { MigrationInterface, QueryRunner } from 'typeorm';
import { definerFunction, run, servicePolicy, tenantTable } from './sql';

/**
 * Outbound webhooks: a project's subscriptions (URL, event patterns, signing secrets sealed at rest) and one
 * delivery row per (subscription, event), the durable queue of its attempts: due at `next_attempt_at`, claimed
 * across tenants by the relays' `webhook_deliveries_claim()` with SKIP LOCKED, so restarts and several relays
 * neither lose nor double a delivery's schedule.
 */
export class Webhooks1764000014000 implements MigrationInterface {
  name = 'Webhooks1764000014000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `CREATE TABLE webhook_subscriptions (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        url text NOT NULL,
        events text[] NOT NULL,
        description text,
        status text NOT NULL DEFAULT 'active',
        disabled_reason text,
        secret_encrypted text NOT NULL,
        -- After a rotation the previous secret signs too, until it expires.
        previous_secret_encrypted text,
        previous_secret_expires_at timestamptz,
        -- Since when every attempt has failed (NULL after a success): long enough disables the subscription.
        failing_since timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_webhook_subscriptions PRIMARY KEY (id),
        CONSTRAINT uq_webhook_subscriptions_tenant_id UNIQUE (tenant_id, id),
        CONSTRAINT fk_webhook_subscriptions_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT ck_webhook_subscriptions_status CHECK (status IN ('active', 'paused', 'disabled')),
        CONSTRAINT ck_webhook_subscriptions_url CHECK (url ~ '^https?://' AND length(url) <= 2000),
        CONSTRAINT ck_webhook_subscriptions_events CHECK (cardinality(events) BETWEEN 1 AND 50)
      )`,
      `CREATE INDEX idx_webhook_subscriptions_project ON webhook_subscriptions (tenant_id, project_id, id)`,
      // The fan-out reads the active subscriptions of a tenant for every batch of events.
      `CREATE INDEX idx_webhook_subscriptions_active ON webhook_subscriptions (tenant_id) WHERE status = 'active' AND deleted_at IS NULL`,
      ...tenantTable('webhook_subscriptions'),
      ...servicePolicy('webhook_subscriptions'),

      `CREATE TABLE webhook_deliveries (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        subscription_id uuid NOT NULL,
        -- The webhook-id header: the event's id, the same on every attempt and replay.
        event_id text NOT NULL,
        event_type text NOT NULL,
        -- The exact body sent (and signed) on every attempt.
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        -- Set by each claim: only the claim that sent an attempt may record its outcome.
        claim_token uuid,
        last_attempt_at timestamptz,
        response_status integer,
        duration_ms integer,
        error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_webhook_deliveries PRIMARY KEY (id),
        CONSTRAINT uq_webhook_deliveries_event UNIQUE (tenant_id, subscription_id, event_id),
        CONSTRAINT fk_webhook_deliveries_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT fk_webhook_deliveries_subscription FOREIGN KEY (tenant_id, subscription_id)
          REFERENCES webhook_subscriptions (tenant_id, id),
        CONSTRAINT ck_webhook_deliveries_status CHECK (status IN ('pending', 'succeeded', 'failed')),
        CONSTRAINT ck_webhook_deliveries_event_id CHECK (event_id ~ '^[A-Za-z0-9_:-]{1,200}$')
      )`,
      `CREATE INDEX idx_webhook_deliveries_subscription ON webhook_deliveries (tenant_id, subscription_id, id DESC)`,
      `CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
      ...tenantTable('webhook_deliveries', 'SELECT, INSERT, UPDATE', {
        auditExempt: 'the delivery log and queue: each row is itself the record of its attempts (many writes per event)',
      }),
      ...servicePolicy('webhook_deliveries', 'SELECT, UPDATE, DELETE'),

      // Claims up to p_limit due deliveries of active subscriptions, of every tenant (SKIP LOCKED: relays never
      // claim one twice), pushes each out by the lease (a relay that dies leaves it due again then) and gives it a
      // new claim token.
      ...definerFunction(
        'webhook_deliveries_claim(integer, integer)',
        `CREATE FUNCTION webhook_deliveries_claim(p_limit integer, p_lease_seconds integer)
         RETURNS TABLE (id uuid, tenant_id uuid, claim_token uuid)
         LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
           WITH due AS (
             SELECT d.id FROM webhook_deliveries d
              WHERE d.status = 'pending' AND d.next_attempt_at <= now()
                AND EXISTS (SELECT 1 FROM webhook_subscriptions s
                             WHERE s.tenant_id = d.tenant_id AND s.id = d.subscription_id
                               AND s.status = 'active' AND s.deleted_at IS NULL)
              ORDER BY d.next_attempt_at LIMIT p_limit
                FOR UPDATE OF d SKIP LOCKED
           )
           UPDATE webhook_deliveries d
              SET next_attempt_at = now() + make_interval(secs => p_lease_seconds), claim_token = gen_random_uuid()
             FROM due WHERE d.id = due.id
           RETURNING d.id, d.tenant_id, d.claim_token
         $$`,
        'crm_relay',
      ),
      // Finished deliveries (succeeded or failed for good) are kept for p_hours after their last change.
      ...definerFunction(
        'webhook_deliveries_prune(integer)',
        `CREATE FUNCTION webhook_deliveries_prune(p_hours integer) RETURNS bigint
         LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
           WITH gone AS (
             DELETE FROM webhook_deliveries
              WHERE status IN ('succeeded', 'failed') AND updated_at < now() - make_interval(hours => p_hours)
             RETURNING 1
           )
           SELECT count(*) FROM gone
         $$`,
        'crm_relay',
      ),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [
      `DROP FUNCTION webhook_deliveries_prune(integer)`,
      `DROP FUNCTION webhook_deliveries_claim(integer, integer)`,
      `REVOKE SELECT, UPDATE, DELETE ON webhook_deliveries FROM crm_service`,
      `DROP TABLE webhook_deliveries`,
      `REVOKE SELECT ON webhook_subscriptions FROM crm_service`,
      `DROP TABLE webhook_subscriptions`,
    ]);
  }
}
