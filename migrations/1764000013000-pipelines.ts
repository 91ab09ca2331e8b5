import { MigrationInterface, QueryRunner } from 'typeorm';
import { run, tenantTable } from './sql';

/**
 * Pipelines: pipelines and their statuses (the board's columns), each contact's current place in a pipeline
 * (`contact_pipelines`, the aggregate moves compare-and-swap on) and the history of its statuses
 * (`contact_pipeline_statuses`: entered, exited, duration).
 */
export class Pipelines1764000013000 implements MigrationInterface {
  name = 'Pipelines1764000013000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `CREATE TABLE pipelines (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        name text NOT NULL,
        description text,
        color text,
        session_timeout_minutes integer,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_pipelines PRIMARY KEY (id),
        CONSTRAINT uq_pipelines_tenant_id UNIQUE (tenant_id, id),
        CONSTRAINT fk_pipelines_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT ck_pipelines_session_timeout CHECK (session_timeout_minutes IS NULL OR session_timeout_minutes BETWEEN 1 AND 43200)
      )`,
      `CREATE INDEX idx_pipelines_tenant_project_id ON pipelines (tenant_id, project_id, id)`,
      ...tenantTable('pipelines'),

      `CREATE TABLE pipeline_statuses (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        pipeline_id uuid NOT NULL,
        name text NOT NULL,
        color text,
        status_type text NOT NULL,
        position integer NOT NULL,
        allowed_next uuid[],
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_pipeline_statuses PRIMARY KEY (id),
        CONSTRAINT uq_pipeline_statuses_tenant_id UNIQUE (tenant_id, id),
        CONSTRAINT fk_pipeline_statuses_pipeline FOREIGN KEY (tenant_id, pipeline_id) REFERENCES pipelines (tenant_id, id),
        CONSTRAINT ck_pipeline_statuses_type CHECK (status_type IN ('open', 'active', 'closed'))
      )`,
      // The domain refuses a duplicate first; this keeps it true under any race.
      `CREATE UNIQUE INDEX uq_pipeline_statuses_name ON pipeline_statuses (tenant_id, pipeline_id, lower(name)) WHERE deleted_at IS NULL`,
      ...tenantTable('pipeline_statuses'),

      `CREATE TABLE contact_pipelines (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        pipeline_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        status_id uuid NOT NULL,
        entry_id uuid NOT NULL,
        entered_at timestamptz NOT NULL,
        contact_deleted boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_contact_pipelines PRIMARY KEY (id),
        CONSTRAINT uq_contact_pipelines_contact UNIQUE (tenant_id, pipeline_id, contact_id),
        CONSTRAINT fk_contact_pipelines_pipeline FOREIGN KEY (tenant_id, pipeline_id) REFERENCES pipelines (tenant_id, id),
        CONSTRAINT fk_contact_pipelines_status FOREIGN KEY (tenant_id, status_id) REFERENCES pipeline_statuses (tenant_id, id)
      )`,
      // The board: per status, the count and a keyset page in entry order, both index-only scans without a sort;
      // a deleted contact leaves it (and comes back when restored).
      `CREATE INDEX idx_contact_pipelines_board ON contact_pipelines (tenant_id, pipeline_id, status_id, entry_id) INCLUDE (contact_id, entered_at)
        WHERE NOT contact_deleted`,
      ...tenantTable('contact_pipelines'),

      `CREATE TABLE contact_pipeline_statuses (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        pipeline_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        status_id uuid NOT NULL,
        entered_at timestamptz NOT NULL,
        exited_at timestamptz,
        duration_ms bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_contact_pipeline_statuses PRIMARY KEY (id),
        CONSTRAINT fk_contact_pipeline_statuses_pipeline FOREIGN KEY (tenant_id, pipeline_id) REFERENCES pipelines (tenant_id, id),
        CONSTRAINT fk_contact_pipeline_statuses_status FOREIGN KEY (tenant_id, status_id) REFERENCES pipeline_statuses (tenant_id, id),
        CONSTRAINT ck_contact_pipeline_statuses_exit CHECK ((exited_at IS NULL) = (duration_ms IS NULL) AND (exited_at IS NULL OR exited_at >= entered_at))
      )`,
      // Never two open entries of one contact in one pipeline, whatever the application does.
      `CREATE UNIQUE INDEX uq_contact_pipeline_statuses_open ON contact_pipeline_statuses (tenant_id, pipeline_id, contact_id) WHERE exited_at IS NULL`,
      `CREATE INDEX idx_contact_pipeline_statuses_history ON contact_pipeline_statuses (tenant_id, contact_id, pipeline_id, id)`,
      ...tenantTable('contact_pipeline_statuses', 'SELECT, INSERT, UPDATE', {
        auditExempt: 'append-and-close history of contact_pipelines, whose audited changes and outbox events record every move',
      }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [
      `DROP TABLE contact_pipeline_statuses`,
      `DROP TABLE contact_pipelines`,
      `DROP TABLE pipeline_statuses`,
      `DROP TABLE pipelines`,
    ]);
  }
}
