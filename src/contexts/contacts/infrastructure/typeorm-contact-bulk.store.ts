import { Injectable } from '@nestjs/common';
import { VersionConflictError, newId } from '#kernel';
import { OutboxWriter } from '#outbox/outbox-writer';
import { TransactionRunner } from '#persistence/transaction-runner';
import { RequestContext } from '#tenancy';
import { ContactBulkStore } from '../application/contact-import.ports';
import { ContactsDomainEvent } from '../contacts.events';
import { Contact, ContactState } from '../domain/contact';
import { ContactEntity } from './contact.entity';
import { toContactState } from './contact.mapper';
import { SNAPSHOT_EVERY } from './typeorm-contact.repository';

/** The contact columns a write sets, as `json_to_recordset` reads them from one JSON parameter. */
const FIELDS = `name text, email text, phone text, external_id text, source_channel text, language text, timezone text,
  tags text[], custom_fields jsonb, profile_picture_url text`;

/**
 * Many contacts in a handful of statements: each kind of row (contacts, outbox events, event-store entries,
 * snapshots) goes in as one JSON parameter expanded by `json_to_recordset`, so a batch of thousands costs a few
 * round trips, not thousands, and still runs as the application role under RLS.
 */
@Injectable()
export class TypeormContactBulkStore implements ContactBulkStore {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxWriter,
    private readonly context: RequestContext,
  ) {}

  async liveByKeys(projectId: string, keys: { externalId: string[]; email: string[]; phone: string[] }): Promise<ContactState[]> {
    if (keys.externalId.length + keys.email.length + keys.phone.length === 0) return [];
    // One condition per unique index (external id, lower(email), phone), so each probes its own.
    const rows = await this.tx.manager
      .createQueryBuilder(ContactEntity, 'c')
      .where('c.project_id = :projectId', { projectId })
      .andWhere('(c.external_id = ANY(:ext) OR lower(c.email) = ANY(:email) OR c.phone = ANY(:phone))', {
        ext: keys.externalId,
        email: keys.email,
        phone: keys.phone,
      })
      .getMany();
    return rows.map(toContactState);
  }

  async saveAll(contacts: readonly Contact[]): Promise<void> {
    const created = contacts.filter((c) => c.isNew).map((c) => c.snapshot);
    const changed = contacts.filter((c) => !c.isNew).map((c) => c.snapshot);
    try {
      if (created.length > 0) await this.insert(created);
      if (changed.length > 0) await this.update(changed);
    } catch (error) {
      // Another writer took a key this batch writes: the batch is retried and then sees that contact.
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') throw new VersionConflictError('contact', 0);
      throw error;
    }
    const events = contacts.flatMap((c) => c.commit()) as ContactsDomainEvent[];
    await this.outbox.append(events);
    await this.appendToStreams(events);
    await this.snapshot(contacts.filter((c) => c.version % SNAPSHOT_EVERY === 0).map((c) => c.snapshot));
  }

  private async insert(states: readonly ContactState[]): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO contacts (id, tenant_id, project_id, name, email, phone, external_id, source_channel, language, timezone, tags,
         custom_fields, profile_picture_url, version)
       SELECT id, tenant_id, project_id, name, email, phone, external_id, source_channel, language, timezone, tags,
         custom_fields, profile_picture_url, 1
       FROM json_to_recordset($1::json) AS r(id uuid, tenant_id uuid, project_id uuid, ${FIELDS})`,
      [JSON.stringify(states.map(toRow))],
    );
  }

  private async update(states: readonly ContactState[]): Promise<void> {
    const [{ n }]: { n: number }[] = await this.tx.manager.query(
      `WITH written AS (
         UPDATE contacts c SET name = r.name, email = r.email, phone = r.phone, external_id = r.external_id,
           source_channel = r.source_channel, language = r.language, timezone = r.timezone, tags = r.tags,
           custom_fields = r.custom_fields, profile_picture_url = r.profile_picture_url, version = c.version + 1, updated_at = now()
         FROM json_to_recordset($1::json) AS r(id uuid, version integer, ${FIELDS})
         WHERE c.id = r.id AND c.version = r.version AND c.deleted_at IS NULL
         RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
      [JSON.stringify(states.map((s) => ({ ...toRow(s), version: s.version })))],
    );
    // Compare-and-swap on each version: fewer rows means another writer changed one since the batch read it.
    if (n !== states.length) throw new VersionConflictError('contact', 0);
  }

  /** The same entries ContactRepository.save appends to each contact's stream. */
  private async appendToStreams(events: readonly ContactsDomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const metadata = { correlationId: this.context.get('requestId'), actorId: this.context.get('userId') };
    await this.tx.manager.query(
      `INSERT INTO contact_event_store (id, tenant_id, project_id, aggregate_id, sequence_number, event_id, event_type, event_version,
         event_data, metadata, occurred_at)
       SELECT id, tenant_id, project_id, aggregate_id, sequence_number, event_id, event_type, event_version, event_data, $2::jsonb, occurred_at
       FROM json_to_recordset($1::json) AS r(id uuid, tenant_id uuid, project_id uuid, aggregate_id uuid, sequence_number integer,
         event_id uuid, event_type text, event_version integer, event_data jsonb, occurred_at timestamptz)`,
      [
        JSON.stringify(
          events.map((e) => ({
            id: newId(),
            tenant_id: e.tenantId,
            project_id: e.projectId,
            aggregate_id: e.aggregateId,
            sequence_number: e.aggregateVersion,
            event_id: e.eventId,
            event_type: e.type,
            event_version: e.eventVersion,
            event_data: e.payload,
            occurred_at: e.occurredAt,
          })),
        ),
        JSON.stringify(metadata),
      ],
    );
  }

  private async snapshot(states: readonly ContactState[]): Promise<void> {
    if (states.length === 0) return;
    await this.tx.manager.query(
      `INSERT INTO contact_snapshots (id, tenant_id, aggregate_id, last_sequence_number, snapshot_data)
       SELECT id, tenant_id, aggregate_id, last_sequence_number, snapshot_data
       FROM json_to_recordset($1::json) AS r(id uuid, tenant_id uuid, aggregate_id uuid, last_sequence_number integer, snapshot_data jsonb)`,
      [
        JSON.stringify(
          states.map((s) => ({
            id: newId(),
            tenant_id: s.tenantId,
            aggregate_id: s.id,
            last_sequence_number: s.version,
            snapshot_data: s,
          })),
        ),
      ],
    );
  }
}

function toRow(s: ContactState) {
  return {
    id: s.id,
    tenant_id: s.tenantId,
    project_id: s.projectId,
    name: s.name,
    email: s.email,
    phone: s.phone,
    external_id: s.externalId,
    source_channel: s.sourceChannel,
    language: s.language,
    timezone: s.timezone,
    tags: s.tags,
    custom_fields: s.customFields,
    profile_picture_url: s.profilePictureUrl,
  };
}
