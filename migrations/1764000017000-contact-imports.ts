import { MigrationInterface, QueryRunner } from 'typeorm';
import { run, tenantTable } from './sql';

/** Bulk contact imports: one row per upload, its status and counts, updated in the transaction of each batch it commits. */
export class ContactImports1764000017000 implements MigrationInterface {
  name = 'ContactImports1764000017000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `CREATE TABLE contact_imports (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        format text NOT NULL,
        mode text NOT NULL,
        status text NOT NULL DEFAULT 'running',
        rows_read integer NOT NULL DEFAULT 0,
        created integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        unchanged integer NOT NULL DEFAULT 0,
        rejected integer NOT NULL DEFAULT 0,
        rejected_rows jsonb NOT NULL DEFAULT '[]',
        error text,
        started_by uuid,
        cancelled_by uuid,
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT pk_contact_imports PRIMARY KEY (id),
        CONSTRAINT fk_contact_imports_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT ck_contact_imports_format CHECK (format IN ('csv', 'ndjson')),
        CONSTRAINT ck_contact_imports_mode CHECK (mode IN ('upsert', 'create_only')),
        CONSTRAINT ck_contact_imports_status CHECK (status IN ('running', 'completed', 'failed', 'cancelled'))
      )`,
      `CREATE INDEX idx_contact_imports_tenant_project_id ON contact_imports (tenant_id, project_id, id)`,
      ...tenantTable('contact_imports', 'SELECT, INSERT, UPDATE', {
        auditExempt:
          'progress bookkeeping of an import, rewritten by every batch; who started or cancelled it is in its row, and every contact it writes is audited',
      }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [`DROP TABLE contact_imports`]);
  }
}
