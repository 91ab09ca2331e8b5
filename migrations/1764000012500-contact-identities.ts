import { MigrationInterface, QueryRunner } from 'typeorm';
import { run, tenantTable } from './sql';

/**
 * Contacts known by a messaging identity rather than a phone (a WhatsApp LID): one row per (project, kind, value)
 * pointing at its contact; and each contact's first-touch attribution (the ad that first brought it), set once.
 */
export class ContactIdentities1764000012500 implements MigrationInterface {
  name = 'ContactIdentities1764000012500';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `ALTER TABLE contacts ADD COLUMN first_touch jsonb`,
      `CREATE TABLE contact_identities (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        kind text NOT NULL,
        value text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_contact_identities PRIMARY KEY (id),
        CONSTRAINT uq_contact_identities_value UNIQUE (tenant_id, project_id, kind, value),
        CONSTRAINT fk_contact_identities_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT fk_contact_identities_contact FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id),
        CONSTRAINT ck_contact_identities_kind CHECK (kind IN ('whatsapp_lid')),
        CONSTRAINT ck_contact_identities_value CHECK (length(value) BETWEEN 1 AND 200)
      )`,
      `CREATE INDEX idx_contact_identities_contact ON contact_identities (tenant_id, contact_id)`,
      ...tenantTable('contact_identities'),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [`DROP TABLE contact_identities`, `ALTER TABLE contacts DROP COLUMN first_touch`]);
  }
}
