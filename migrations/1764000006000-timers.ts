import { MigrationInterface, QueryRunner } from 'typeorm';
import { definerFunction, run, servicePolicy, tenantTable } from './sql';

/**
 * Durable timers: a context schedules one in its own transaction; the relay's poller fires due timers into the
 * outbox as `timer.<kind>` events, so delivery, retries, dead letters and exactly-once come from the outbox.
 */
export class Timers1764000006000 implements MigrationInterface {
  name = 'Timers1764000006000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `CREATE TABLE scheduled_timers (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid,
        kind text NOT NULL,
        key text NOT NULL,
        due_at timestamptz NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_scheduled_timers PRIMARY KEY (id),
        -- One pending timer per (kind, key): scheduling again reschedules it (debounce, inactivity reset).
        CONSTRAINT uq_scheduled_timers_key UNIQUE (tenant_id, kind, key),
        CONSTRAINT ck_scheduled_timers_kind CHECK (kind ~ '^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$' AND length(kind) <= 100),
        CONSTRAINT ck_scheduled_timers_key CHECK (length(key) BETWEEN 1 AND 200)
      )`,
      `CREATE INDEX idx_scheduled_timers_due_at ON scheduled_timers (due_at)`,
      // DELETE: a cancelled timer is simply gone; a fired one becomes its outbox event, which keeps the history.
      ...tenantTable('scheduled_timers', 'SELECT, INSERT, UPDATE, DELETE', {
        auditExempt: 'kernel bookkeeping: pending timers; each one that fires is recorded as its outbox event',
      }),
      // timers_fire (below) locks (FOR UPDATE needs UPDATE) and deletes due timers of every tenant.
      ...servicePolicy('scheduled_timers', 'SELECT, UPDATE, DELETE'),
      // outbox_events already has the crm_service policy (for all commands); the insert needs the privileges.
      `GRANT INSERT ON outbox_events TO crm_service`,
      `GRANT USAGE ON SEQUENCE outbox_events_sequence_seq TO crm_service`,
      // Takes up to p_limit due timers (SKIP LOCKED: several relays never fire one twice, and a timer being
      // rescheduled right now is left to the next poll), deletes them and appends one outbox event each, in one
      // statement: a timer is fired exactly when its event exists. The aggregate is a uuid derived from
      // (tenant, kind, key), stable across reschedules and fires, so the claim delivers the events of one key in
      // order and holds a later one back while an earlier one waits for its retry.
      ...definerFunction(
        'timers_fire(integer)',
        `CREATE FUNCTION timers_fire(p_limit integer) RETURNS integer
         LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
           WITH due AS (
             SELECT id FROM scheduled_timers WHERE due_at <= now() ORDER BY due_at LIMIT p_limit FOR UPDATE SKIP LOCKED
           ), fired AS (
             DELETE FROM scheduled_timers t USING due WHERE t.id = due.id
             RETURNING t.id, t.tenant_id, t.project_id, t.kind, t.key, t.due_at, t.payload, t.metadata
           ), events AS (
             INSERT INTO outbox_events (id, event_id, tenant_id, project_id, aggregate_type, aggregate_id, aggregate_version,
                                        event_type, event_version, event_data, metadata, occurred_at)
             SELECT gen_random_uuid(), gen_random_uuid(), f.tenant_id, f.project_id, 'timer',
                    md5(f.tenant_id::text || ':' || f.kind || ':' || f.key)::uuid, 1,
                    'timer.' || f.kind, 1,
                    jsonb_build_object('kind', f.kind, 'key', f.key, 'dueAt', f.due_at, 'payload', f.payload),
                    f.metadata, now()
               FROM fired f ORDER BY f.due_at, f.id
             RETURNING 1
           )
           SELECT count(*)::integer FROM events
         $$`,
        'crm_relay',
      ),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [
      `DROP FUNCTION timers_fire(integer)`,
      `REVOKE USAGE ON SEQUENCE outbox_events_sequence_seq FROM crm_service`,
      `REVOKE INSERT ON outbox_events FROM crm_service`,
      `DROP TABLE scheduled_timers`,
    ]);
  }
}
