import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { ExpectedVersion, newId } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { WriteStamps } from '#persistence/row-statements';
import { TransactionRunner } from '#persistence/transaction-runner';
import { RequestContext } from '#tenancy';
import type { ContactIdentityKind } from '../contacts.events';
import { ContactsErrors } from '../contacts.errors';
import { ContactsDomainEvent } from '../contacts.events';
import { Contact, ContactState } from '../domain/contact';
import { replayContact } from '../domain/contact-history';
import { ContactRepository } from '../domain/contacts.repositories';
import { ContactSnapshotEntity, ContactStoredEventEntity } from './contact-event-store.entity';
import { ContactIdentityEntity } from './contact-identity.entity';
import { ContactEntity } from './contact.entity';
import { toContactState } from './contact.mapper';

/** A snapshot every this many versions bounds how many events a rebuild folds. */
export const SNAPSHOT_EVERY = 10;

const UNIQUE = {
  uq_contacts_project_email: ContactsErrors.duplicateEmail,
  uq_contacts_project_phone: ContactsErrors.duplicatePhone,
  uq_contacts_project_external_id: ContactsErrors.duplicateExternalId,
};

@Injectable()
export class TypeormContactRepository implements ContactRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
    private readonly context: RequestContext,
  ) {}

  async findById(projectId: string, id: string, options: { withDeleted?: boolean } = {}): Promise<Contact | null> {
    const row = await this.tx.manager.findOne(ContactEntity, { where: { id, projectId }, withDeleted: options.withDeleted });
    return row ? Contact.restore(toContactState(row)) : null;
  }

  async findByPhone(projectId: string, phone: string): Promise<Contact | null> {
    const row = await this.tx.manager.findOne(ContactEntity, { where: { projectId, phone } });
    return row ? Contact.restore(toContactState(row)) : null;
  }

  async findByIdentity(projectId: string, kind: ContactIdentityKind, value: string): Promise<Contact | null> {
    const identity = await this.tx.manager.findOne(ContactIdentityEntity, { where: { projectId, kind, value } });
    return identity ? this.findById(projectId, identity.contactId) : null;
  }

  async linkIdentity(contact: Contact, kind: ContactIdentityKind, value: string): Promise<void> {
    const { tenantId, projectId } = contact.snapshot;
    await this.tx.manager.query(
      `INSERT INTO contact_identities (id, tenant_id, project_id, contact_id, kind, value) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, project_id, kind, value) DO UPDATE SET contact_id = EXCLUDED.contact_id, updated_at = now()
        WHERE contact_identities.contact_id IS DISTINCT FROM EXCLUDED.contact_id`,
      [newId(), tenantId, projectId, contact.id, kind, value],
    );
  }

  async existingIds(projectId: string, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.tx.manager.find(ContactEntity, { where: { id: In([...ids]), projectId }, select: { id: true } });
    return new Set(rows.map((r) => r.id));
  }

  async lockKey(projectId: string, key: string): Promise<void> {
    // A transaction-scoped advisory lock: released at commit or rollback, never held across the pool.
    await this.tx.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`contacts:${projectId}:${key}`]);
  }

  async save(contact: Contact, expected?: ExpectedVersion): Promise<WriteStamps | undefined> {
    const { version: _v, ...row } = contact.snapshot;
    const { events, stamps } = await this.store.save(contact, ContactEntity, row, 'contact', {
      expected,
      unique: UNIQUE,
      alongside: (saved) => ({ entity: ContactStoredEventEntity, rows: this.streamRows(saved) }),
    });
    if (events.length > 0 && contact.version % SNAPSHOT_EVERY === 0) {
      await this.tx.manager.insert(ContactSnapshotEntity, {
        id: newId(),
        tenantId: contact.snapshot.tenantId,
        aggregateId: contact.id,
        lastSequenceNumber: contact.version,
        snapshotData: contact.snapshot,
      });
    }
    return stamps;
  }

  async stateAt(projectId: string, id: string, version: number): Promise<ContactState | null> {
    const m = this.tx.manager;
    const current = await m.findOne(ContactEntity, { where: { id, projectId }, withDeleted: true });
    if (!current || version > current.version) return null;
    const snapshot = await m
      .createQueryBuilder(ContactSnapshotEntity, 's')
      .where('s.aggregate_id = :id AND s.last_sequence_number <= :version', { id, version })
      .orderBy('s.last_sequence_number', 'DESC')
      .getOne();
    const from = snapshot?.lastSequenceNumber ?? 0;
    const events = await m
      .createQueryBuilder(ContactStoredEventEntity, 'e')
      .where('e.aggregate_id = :id AND e.sequence_number > :from AND e.sequence_number <= :version', { id, from, version })
      .orderBy('e.sequence_number', 'ASC')
      .getMany();
    const base = snapshot ? (snapshot.snapshotData as unknown as ContactState) : null;
    return replayContact(
      { id, tenantId: current.tenantId, projectId },
      base,
      events.map((e) => ({
        sequence: e.sequenceNumber,
        type: e.eventType,
        data: e.eventData,
        occurredAt: e.occurredAt,
      })),
    );
  }

  /** The contact's event stream rows of its saved events, written in the save's own statement. */
  private streamRows(events: readonly ContactsDomainEvent[]): Partial<ContactStoredEventEntity>[] {
    const metadata = this.context.eventMetadata();
    return events.map((e) => ({
      id: newId(),
      tenantId: e.tenantId,
      projectId: e.projectId,
      aggregateId: e.aggregateId,
      sequenceNumber: e.aggregateVersion,
      eventId: e.eventId,
      eventType: e.type,
      eventVersion: e.eventVersion,
      eventData: e.payload,
      metadata,
      occurredAt: e.occurredAt,
    }));
  }
}
