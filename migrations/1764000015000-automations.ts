import { MigrationInterface, QueryRunner } from 'typeorm';
import { run, tenantTable } from './sql';

/**
 * Automations (a project's rules: trigger, conditions, actions; versioned, soft-deleted) and their run log. The
 * engine reads the enabled automations of one project and trigger per event batch: a partial index serves it.
 */
export class Automations1764000015000 implements MigrationInterface {
  name = 'Automations1764000015000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `CREATE TABLE automations (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        name text NOT NULL,
        description text,
        enabled boolean NOT NULL DEFAULT true,
        priority integer NOT NULL DEFAULT 0,
        trigger_event text,
        trigger_schedule text,
        trigger_timezone text,
        conditions jsonb NOT NULL DEFAULT '{}'::jsonb,
        actions jsonb NOT NULL DEFAULT '[]'::jsonb,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_automations PRIMARY KEY (id),
        CONSTRAINT uq_automations_tenant_id UNIQUE (tenant_id, id),
        CONSTRAINT fk_automations_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT ck_automations_one_trigger CHECK ((trigger_event IS NULL) <> (trigger_schedule IS NULL)),
        CONSTRAINT ck_automations_name CHECK (length(name) BETWEEN 1 AND 200),
        CONSTRAINT ck_automations_actions CHECK (jsonb_typeof(actions) = 'array')
      )`,
      `CREATE INDEX idx_automations_tenant_project_id ON automations (tenant_id, project_id, id)`,
      `CREATE INDEX idx_automations_trigger ON automations (tenant_id, project_id, trigger_event, priority DESC, id)
         WHERE enabled AND deleted_at IS NULL`,
      ...tenantTable('automations'),

      `CREATE TABLE automation_executions (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        automation_id uuid NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        contact_id uuid,
        depth integer NOT NULL DEFAULT 0,
        status text NOT NULL,
        actions jsonb NOT NULL DEFAULT '[]'::jsonb,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_automation_executions PRIMARY KEY (id),
        -- An automation runs once per event, whatever redelivers it.
        CONSTRAINT uq_automation_executions_event UNIQUE (tenant_id, automation_id, event_id),
        CONSTRAINT fk_automation_executions_automation FOREIGN KEY (tenant_id, automation_id) REFERENCES automations (tenant_id, id),
        CONSTRAINT ck_automation_executions_status CHECK (status IN ('succeeded', 'failed', 'depth_exceeded'))
      )`,
      `CREATE INDEX idx_automation_executions_automation ON automation_executions (tenant_id, automation_id, id DESC)`,
      ...tenantTable('automation_executions', 'SELECT, INSERT, UPDATE', {
        auditExempt: 'the engine run log: each row is itself the record of what an automation did for an event',
      }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [`DROP TABLE automation_executions`, `DROP TABLE automations`]);
  }
}
