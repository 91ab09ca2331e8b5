import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { TransactionRunner } from '#persistence/transaction-runner';
import { isUuid } from '#kernel';
import { ContactSummary } from '../contacts.api';
import { ContactsErrors } from '../contacts.errors';
import { ContactState } from '../domain/contact';
import { CustomFieldType, validateCustomFields } from '../domain/contact-values';
import { CONTACT_REPOSITORY, CUSTOM_FIELD_REPOSITORY, ContactRepository, CustomFieldRepository } from '../domain/contacts.repositories';
import { ContactTimelineEntity } from '../infrastructure/contact-timeline.entity';
import { ContactEntity } from '../infrastructure/contact.entity';
import { toContactRecord } from '../infrastructure/contact.mapper';
import { ContactView, toContactView } from './contact.views';

export interface ContactFilter {
  q?: string;
  tag?: string;
  customField?: { key: string; value: string };
  deleted?: boolean;
}

export class ListContactsQuery extends Query<Page<ContactView>> {
  constructor(
    readonly projectId: string,
    readonly filter: ContactFilter,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/** Newest first, keyset-paginated on the time-ordered id; every filter is served by an index of its own. */
@QueryHandler(ListContactsQuery)
export class ListContactsHandler implements IQueryHandler<ListContactsQuery> {
  constructor(
    private readonly tx: TransactionRunner,
    @Inject(CUSTOM_FIELD_REPOSITORY) private readonly customFields: CustomFieldRepository,
  ) {}

  async execute({ projectId, filter, limit, cursor }: ListContactsQuery): Promise<Page<ContactView>> {
    const qb = this.tx.manager
      .createQueryBuilder(ContactEntity, 'c')
      .withDeleted()
      .where('c.project_id = :projectId', { projectId })
      .andWhere(filter.deleted ? 'c.deleted_at IS NOT NULL' : 'c.deleted_at IS NULL');
    if (filter.q) {
      qb.andWhere(`(coalesce(c.name, '') || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, '')) ILIKE :q`, {
        q: `%${escapeLike(filter.q)}%`,
      });
    }
    if (filter.tag) qb.andWhere('c.tags @> ARRAY[:tag]::text[]', { tag: filter.tag });
    if (filter.customField) {
      // The value is read as the field's defined type, and checked as a written value would be: an undefined key
      // or a value the field cannot hold is a 400, not an empty page.
      const { key, value } = filter.customField;
      const definitions = await this.customFields.definitions(projectId);
      const typed = fromQueryString(definitions.find((d) => d.key === key)?.type, value);
      validateCustomFields({ [key]: typed }, definitions);
      qb.andWhere('c.custom_fields @> :cf::jsonb', { cf: JSON.stringify({ [key]: typed }) });
    }
    const after = decodeCursor(cursor);
    if (after) qb.andWhere('c.id < :after', { after });
    const rows = await qb
      .orderBy('c.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (row) => toContactView(toContactRecord(row)));
  }
}

export class GetContactQuery extends Query<ContactView> {
  constructor(
    readonly projectId: string,
    readonly id: string,
  ) {
    super();
  }
}

/** A live contact of the project, with its timestamps. */
@QueryHandler(GetContactQuery)
export class GetContactHandler implements IQueryHandler<GetContactQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ projectId, id }: GetContactQuery): Promise<ContactView> {
    const row = await this.tx.manager.findOne(ContactEntity, { where: { id, projectId } });
    if (!row) throw ContactsErrors.notFound('contact', id);
    return toContactView(toContactRecord(row));
  }
}

/** An entry of a contact's timeline. */
export interface TimelineEntryView {
  id: string;
  type: string;
  category: string;
  title: string;
  payload: object;
  source: string;
  triggeredBy: string | null;
  eventId: string;
  occurredAt: Date;
}

export class ContactTimelineQuery extends Query<Page<TimelineEntryView>> {
  constructor(
    readonly projectId: string,
    readonly contactId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

@QueryHandler(ContactTimelineQuery)
export class ContactTimelineHandler implements IQueryHandler<ContactTimelineQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ projectId, contactId, limit, cursor }: ContactTimelineQuery): Promise<Page<TimelineEntryView>> {
    const exists = await this.tx.manager.exists(ContactEntity, { where: { id: contactId, projectId }, withDeleted: true });
    if (!exists) throw ContactsErrors.notFound('contact', contactId);
    const qb = this.tx.manager.createQueryBuilder(ContactTimelineEntity, 't').where('t.contact_id = :contactId', { contactId });
    const after = decodeCursor(cursor);
    if (after) qb.andWhere('t.id > :after', { after });
    const rows = await qb
      .orderBy('t.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (t) => ({
      id: t.id,
      type: t.eventType,
      category: t.category,
      title: t.title,
      payload: t.payload,
      source: t.source,
      triggeredBy: t.triggeredBy,
      eventId: t.eventId,
      occurredAt: t.occurredAt,
    }));
  }
}

export class ContactAtVersionQuery extends Query<ContactView> {
  constructor(
    readonly projectId: string,
    readonly contactId: string,
    readonly version: number,
  ) {
    super();
  }
}

/** The contact as it was at a version (without timestamps: the event store knows the events, not the row). */
@QueryHandler(ContactAtVersionQuery)
export class ContactAtVersionHandler implements IQueryHandler<ContactAtVersionQuery> {
  constructor(@Inject(CONTACT_REPOSITORY) private readonly contacts: ContactRepository) {}

  async execute({ projectId, contactId, version }: ContactAtVersionQuery): Promise<ContactView> {
    if (version < 1) throw ContactsErrors.invalidVersion();
    const state: ContactState | null = await this.contacts.stateAt(projectId, contactId, version);
    if (!state) throw ContactsErrors.notFound('contact_version', `${contactId}@${version}`);
    return toContactView(state);
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A query-string value as the custom field's type (left as text when it cannot be one, so validation rejects it). */
function fromQueryString(type: CustomFieldType | undefined, value: string): unknown {
  if (type === 'number') return value.trim() === '' ? value : Number(value);
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

export class GetContactSummaryQuery extends Query<ContactSummary | undefined> {
  constructor(
    readonly projectId: string,
    readonly contactId: string,
  ) {
    super();
  }
}

/** A live contact for another context (ContactsApi.getContact), or undefined. */
@QueryHandler(GetContactSummaryQuery)
export class GetContactSummaryHandler implements IQueryHandler<GetContactSummaryQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ projectId, contactId }: GetContactSummaryQuery): Promise<ContactSummary | undefined> {
    if (!isUuid(contactId)) return undefined;
    const row = await this.tx.manager.findOne(ContactEntity, { where: { id: contactId, projectId } });
    if (!row) return undefined;
    const { name, email, phone, tags, language, timezone } = row;
    return { contactId: row.id, name, email, phone, tags, language, timezone };
  }
}
