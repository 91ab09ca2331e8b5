import { MigrationInterface, QueryRunner } from 'typeorm';
import { definerFunction, run, servicePolicy, tenantTableWithoutAudit } from './sql';

/** `outbox_claim` as this migration creates it (a later migration replaces it and restores it on the way down). */
export const OUTBOX_CLAIM_V1 = `CREATE FUNCTION outbox_claim(p_limit integer, p_lease_seconds integer, p_max_attempts integer DEFAULT 8)
   RETURNS SETOF outbox_events LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
     UPDATE outbox_events
        SET status = 'failed', locked_until = NULL, retry_count = retry_count + 1,
            last_error = 'the relay delivering it stopped before finishing (lease expired) on the last attempt'
      WHERE status = 'processing' AND locked_until < now() AND retry_count + 1 >= p_max_attempts;
     WITH claim AS (SELECT gen_random_uuid() AS token), candidates AS (
       SELECT o.id, o.aggregate_id, o.sequence FROM outbox_events o
       WHERE ((o.status = 'pending' AND o.next_attempt_at <= now())
          OR (o.status = 'processing' AND o.locked_until < now()))
         -- Behind an earlier event that is leased or waiting for its retry: skipped before LIMIT, so a long
         -- queue behind one retrying event never fills the batch and stalls the others.
         AND NOT EXISTS (
           SELECT 1 FROM outbox_events b
           WHERE b.aggregate_id = o.aggregate_id AND b.sequence < o.sequence
             AND ((b.status = 'processing' AND b.locked_until >= now()) OR (b.status = 'pending' AND b.next_attempt_at > now())))
       ORDER BY o.sequence
       LIMIT p_limit
       FOR UPDATE SKIP LOCKED
     ), ready AS (
       SELECT c.id FROM candidates c
       WHERE NOT EXISTS (
         SELECT 1 FROM outbox_events p
         WHERE p.aggregate_id = c.aggregate_id AND p.sequence < c.sequence
           AND p.status IN ('pending', 'processing')
           AND p.id NOT IN (SELECT id FROM candidates))
     )
     UPDATE outbox_events o
        SET status = 'processing', locked_until = now() + make_interval(secs => p_lease_seconds), claim_token = claim.token,
            retry_count = o.retry_count + CASE WHEN o.status = 'processing' THEN 1 ELSE 0 END
       FROM ready, claim WHERE o.id = ready.id
     RETURNING o.*
   $$`;

/** The shared kernel: transactional outbox, consumer bookkeeping and Idempotency-Key storage. */
export class Kernel1764000000000 implements MigrationInterface {
  name = 'Kernel1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `GRANT USAGE ON SCHEMA public TO crm_app, crm_service, crm_relay, crm_auth`,
      `CREATE TABLE outbox_events (
        id uuid NOT NULL,
        event_id uuid NOT NULL,
        sequence bigint GENERATED ALWAYS AS IDENTITY,
        tenant_id uuid NOT NULL,
        project_id uuid,
        aggregate_type text NOT NULL,
        aggregate_id uuid NOT NULL,
        aggregate_version integer NOT NULL,
        event_type text NOT NULL,
        event_version integer NOT NULL DEFAULT 1,
        event_data jsonb NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'pending',
        retry_count integer NOT NULL DEFAULT 0,
        last_error text,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        claim_token uuid,
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        CONSTRAINT pk_outbox_events PRIMARY KEY (id),
        CONSTRAINT uq_outbox_events_event_id UNIQUE (event_id),
        CONSTRAINT ck_outbox_events_status CHECK (status IN ('pending', 'processing', 'processed', 'failed'))
      )`,
      // The relay's claim scans unfinished events in commit-sequence order; finished rows leave the index.
      `CREATE INDEX idx_outbox_events_unfinished ON outbox_events (sequence) WHERE status IN ('pending', 'processing')`,
      `CREATE INDEX idx_outbox_events_aggregate_unfinished ON outbox_events (aggregate_id, sequence) WHERE status IN ('pending', 'processing')`,
      // The claim's hold-back looks up the few events that block their aggregate (leased, or waiting to retry).
      `CREATE INDEX idx_outbox_events_leased ON outbox_events (locked_until) WHERE status = 'processing'`,
      `CREATE INDEX idx_outbox_events_retrying ON outbox_events (next_attempt_at) WHERE status = 'pending'`,
      `CREATE INDEX idx_outbox_events_tenant_status ON outbox_events (tenant_id, status, sequence)`,
      ...tenantTableWithoutAudit('outbox_events'),
      ...servicePolicy('outbox_events', 'SELECT, UPDATE, DELETE'),
      // Claims mark rows processed at a high rate: vacuum after a fixed number of dead rows, not a fraction of a
      // table that keeps history, or every claim scans the dead entries of the unfinished-event indexes.
      `ALTER TABLE outbox_events SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000, autovacuum_vacuum_cost_delay = 0)`,
      `GRANT USAGE ON SEQUENCE outbox_events_sequence_seq TO crm_app`,
      // NOTIFY is only a wake-up: one per statement with a constant payload, folded into one per transaction.
      `CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN PERFORM pg_notify('outbox_events', ''); RETURN NULL; END $$`,
      `CREATE TRIGGER trg_outbox_events_notify AFTER INSERT ON outbox_events
       FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`,
      // Claims due events across tenants for a relay. An event is held back while an earlier event of the same
      // aggregate is unfinished and not in this claim, so each aggregate is delivered in sequence order even with
      // several relays (a dead-lettered event does not hold back later ones: replaying it delivers it late).
      // Expired leases (a relay that died mid-batch) are claimed again and count as an attempt, so an event that
      // kills its relay ends dead-lettered instead of looping; the claim token fences a relay that comes back late,
      // so it cannot settle events another relay has claimed since.
      ...definerFunction('outbox_claim(integer, integer, integer)', OUTBOX_CLAIM_V1, 'crm_relay'),
      `CREATE TABLE processed_events (
        consumer_name text NOT NULL,
        event_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_processed_events PRIMARY KEY (consumer_name, event_id)
      )`,
      `CREATE INDEX idx_processed_events_processed_at ON processed_events (processed_at)`,
      ...tenantTableWithoutAudit('processed_events', 'SELECT, INSERT'),
      ...servicePolicy('processed_events', 'SELECT, DELETE'),
      `CREATE TABLE idempotency_keys (
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        credential_id uuid NOT NULL,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        response_status integer,
        response_etag text,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_idempotency_keys PRIMARY KEY (tenant_id, project_id, credential_id, idempotency_key)
      )`,
      `CREATE INDEX idx_idempotency_keys_created_at ON idempotency_keys (created_at)`,
      ...tenantTableWithoutAudit('idempotency_keys'),
      ...servicePolicy('idempotency_keys', 'SELECT, DELETE'),
      `CREATE INDEX idx_outbox_events_processed_at ON outbox_events (processed_at) WHERE status = 'processed'`,
      // Retention across tenants: processed events and their consumer records after the redelivery window,
      // Idempotency-Keys after theirs. Returns how many rows of each went.
      ...definerFunction(
        'outbox_prune(integer, integer)',
        `CREATE FUNCTION outbox_prune(p_events_hours integer, p_keys_hours integer)
         RETURNS TABLE (outbox_events bigint, processed_events bigint, idempotency_keys bigint)
         LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
           WITH o AS (
             DELETE FROM outbox_events WHERE status = 'processed' AND processed_at < now() - make_interval(hours => p_events_hours) RETURNING 1
           ), p AS (
             DELETE FROM processed_events pe
              WHERE pe.processed_at < now() - make_interval(hours => p_events_hours)
                -- kept while its event may still be delivered (pending, retrying, dead-lettered and replayable)
                AND NOT EXISTS (SELECT 1 FROM outbox_events oe WHERE oe.event_id = pe.event_id AND oe.status <> 'processed')
              RETURNING 1
           ), k AS (
             DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => p_keys_hours) RETURNING 1
           )
           SELECT (SELECT count(*) FROM o), (SELECT count(*) FROM p), (SELECT count(*) FROM k)
         $$`,
        'crm_relay',
      ),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [
      `DROP FUNCTION outbox_prune(integer, integer)`,
      `DROP TABLE idempotency_keys`,
      `DROP TABLE processed_events`,
      `DROP FUNCTION outbox_claim(integer, integer, integer)`,
      `DROP TABLE outbox_events`,
      `DROP FUNCTION outbox_notify()`,
      `REVOKE USAGE ON SCHEMA public FROM crm_app, crm_service, crm_relay, crm_auth`,
    ]);
  }
}
