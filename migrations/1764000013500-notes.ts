import { MigrationInterface, QueryRunner } from 'typeorm';
import { run, tenantTable } from './sql';

/** Notes on contacts: listed per contact pinned first, then newest. */
export class Notes1764000013500 implements MigrationInterface {
  name = 'Notes1764000013500';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `CREATE TABLE notes (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        content text NOT NULL,
        pinned boolean NOT NULL DEFAULT false,
        author_id uuid,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_notes PRIMARY KEY (id),
        CONSTRAINT fk_notes_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT ck_notes_content CHECK (length(content) BETWEEN 1 AND 20000)
      )`,
      // A contact's notes in list order (pinned first, then newest): the keyset reads the index in order.
      `CREATE INDEX idx_notes_contact ON notes (tenant_id, contact_id, pinned DESC, id DESC) WHERE deleted_at IS NULL`,
      ...tenantTable('notes'),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [`DROP TABLE notes`]);
  }
}
