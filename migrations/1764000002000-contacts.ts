import { MigrationInterface, QueryRunner } from 'typeorm';
import { run, tenantTableWithoutAudit } from './sql';

/** Contacts: contacts, custom field definitions, lists and membership, the timeline, the event store and snapshots. */
export class Contacts1764000002000 implements MigrationInterface {
  name = 'Contacts1764000002000';

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      // pg_trgm serves `q` (substring search); it is left installed on down(), as other schemas may use it.
      `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
      `CREATE TABLE contacts (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        name text,
        email text,
        phone text,
        external_id text,
        source_channel text,
        language text,
        timezone text,
        tags text[] NOT NULL DEFAULT '{}',
        custom_fields jsonb NOT NULL DEFAULT '{}',
        profile_picture_url text,
        first_interaction_at timestamptz,
        last_interaction_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_contacts PRIMARY KEY (id),
        CONSTRAINT uq_contacts_tenant_id UNIQUE (tenant_id, id),
        CONSTRAINT fk_contacts_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id)
      )`,
      `CREATE UNIQUE INDEX uq_contacts_project_email ON contacts (tenant_id, project_id, lower(email)) WHERE deleted_at IS NULL AND email IS NOT NULL`,
      `CREATE UNIQUE INDEX uq_contacts_project_phone ON contacts (tenant_id, project_id, phone) WHERE deleted_at IS NULL AND phone IS NOT NULL`,
      `CREATE UNIQUE INDEX uq_contacts_project_external_id ON contacts (tenant_id, project_id, external_id) WHERE deleted_at IS NULL AND external_id IS NOT NULL`,
      `CREATE INDEX idx_contacts_tenant_project_id ON contacts (tenant_id, project_id, id)`,
      `CREATE INDEX idx_contacts_tags ON contacts USING gin (tags)`,
      `CREATE INDEX idx_contacts_custom_fields ON contacts USING gin (custom_fields jsonb_path_ops)`,
      `CREATE INDEX idx_contacts_search ON contacts USING gin ((coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '')) gin_trgm_ops)`,
      ...tenantTableWithoutAudit('contacts'),

      `CREATE TABLE contact_custom_fields (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        key text NOT NULL,
        label text NOT NULL,
        field_type text NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_contact_custom_fields PRIMARY KEY (id),
        CONSTRAINT fk_contact_custom_fields_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        CONSTRAINT ck_contact_custom_fields_type CHECK (field_type IN ('text', 'number', 'boolean', 'date'))
      )`,
      `CREATE UNIQUE INDEX uq_contact_custom_fields_project_key ON contact_custom_fields (tenant_id, project_id, key) WHERE deleted_at IS NULL`,
      ...tenantTableWithoutAudit('contact_custom_fields'),

      `CREATE TABLE contact_lists (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        name text NOT NULL,
        description text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_contact_lists PRIMARY KEY (id),
        CONSTRAINT uq_contact_lists_tenant_id UNIQUE (tenant_id, id),
        CONSTRAINT fk_contact_lists_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id)
      )`,
      `CREATE UNIQUE INDEX uq_contact_lists_project_name ON contact_lists (tenant_id, project_id, lower(name)) WHERE deleted_at IS NULL`,
      `CREATE INDEX idx_contact_lists_tenant_project_id ON contact_lists (tenant_id, project_id, id)`,
      ...tenantTableWithoutAudit('contact_lists'),

      `CREATE TABLE contact_list_members (
        tenant_id uuid NOT NULL,
        list_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_contact_list_members PRIMARY KEY (list_id, contact_id),
        CONSTRAINT fk_contact_list_members_list FOREIGN KEY (tenant_id, list_id) REFERENCES contact_lists (tenant_id, id) ON DELETE CASCADE,
        CONSTRAINT fk_contact_list_members_contact FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
      )`,
      `CREATE INDEX idx_contact_list_members_tenant_contact ON contact_list_members (tenant_id, contact_id)`,
      ...tenantTableWithoutAudit('contact_list_members', 'SELECT, INSERT, DELETE'),

      // The timeline: written only by the outbox consumer, one row per contact domain event.
      `CREATE TABLE contact_events (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid,
        contact_id uuid NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        category text NOT NULL,
        title text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        source text NOT NULL,
        triggered_by uuid,
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_contact_events PRIMARY KEY (id),
        CONSTRAINT uq_contact_events_event_id UNIQUE (event_id)
      )`,
      `CREATE INDEX idx_contact_events_tenant_contact ON contact_events (tenant_id, contact_id, occurred_at, id)`,
      ...tenantTableWithoutAudit('contact_events', 'SELECT, INSERT'),

      `CREATE TABLE contact_event_store (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        project_id uuid,
        aggregate_id uuid NOT NULL,
        sequence_number integer NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        event_version integer NOT NULL DEFAULT 1,
        event_data jsonb NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_contact_event_store PRIMARY KEY (id),
        CONSTRAINT uq_contact_event_store_sequence UNIQUE (tenant_id, aggregate_id, sequence_number)
      )`,
      ...tenantTableWithoutAudit('contact_event_store', 'SELECT, INSERT'),

      `CREATE TABLE contact_snapshots (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        aggregate_id uuid NOT NULL,
        last_sequence_number integer NOT NULL,
        snapshot_data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_contact_snapshots PRIMARY KEY (id),
        CONSTRAINT uq_contact_snapshots_sequence UNIQUE (tenant_id, aggregate_id, last_sequence_number)
      )`,
      ...tenantTableWithoutAudit('contact_snapshots', 'SELECT, INSERT'),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, [
      `DROP TABLE contact_snapshots`,
      `DROP TABLE contact_event_store`,
      `DROP TABLE contact_events`,
      `DROP TABLE contact_list_members`,
      `DROP TABLE contact_lists`,
      `DROP TABLE contact_custom_fields`,
      `DROP TABLE contacts`,
    ]);
  }
}
