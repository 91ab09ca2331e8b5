import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '../../../../libs/kernel';
import { Page, decodeCursor, toPage } from '../../../../libs/http/pagination';
import { TransactionRunner } from '../../../../libs/persistence/transaction-runner';
import { ContactState } from '../domain/contact';
import { CONTACT_REPOSITORY, ContactRepository } from '../domain/contacts.repositories';
import { ContactTimelineEntity } from '../infrastructure/contact-timeline.entity';
import { ContactEntity } from '../infrastructure/contact.entity';
import { toContactView } from '../infrastructure/contact.mapper';

export interface ContactFilter {
  q?: string;
  tag?: string;
  customField?: { key: string; value: string };
  deleted?: boolean;
}

export class ListContactsQuery {
  constructor(
    readonly projectId: string,
    readonly filter: ContactFilter,
    readonly limit: number,
    readonly cursor?: string,
  ) {}
}

/** Newest first, keyset-paginated on the time-ordered id; every filter is served by an index of its own. */
@QueryHandler(ListContactsQuery)
export class ListContactsHandler implements IQueryHandler<ListContactsQuery, Page<ReturnType<typeof toContactView>>> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ projectId, filter, limit, cursor }: ListContactsQuery) {
    const qb = this.tx.manager
      .createQueryBuilder(ContactEntity, 'c')
      .withDeleted()
      .where('c.project_id = :projectId', { projectId })
      .andWhere(filter.deleted ? 'c.deleted_at IS NOT NULL' : 'c.deleted_at IS NULL');
    if (filter.q) {
      qb.andWhere(`(coalesce(c.name, '') || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, '')) ILIKE :q`, { q: `%${escapeLike(filter.q)}%` });
    }
    if (filter.tag) qb.andWhere('c.tags @> ARRAY[:tag]::text[]', { tag: filter.tag });
    if (filter.customField) {
      const { key, value } = filter.customField;
      qb.andWhere('(c.custom_fields @> :cfText::jsonb OR c.custom_fields @> :cfTyped::jsonb)', {
        cfText: JSON.stringify({ [key]: value }),
        cfTyped: JSON.stringify({ [key]: parseScalar(value) }),
      });
    }
    const after = decodeCursor(cursor);
    if (after) qb.andWhere('c.id < :after', { after });
    const rows = await qb.orderBy('c.id', 'DESC').limit(limit + 1).getMany();
    return toPage(rows, limit, toContactView);
  }
}

export class ContactTimelineQuery {
  constructor(
    readonly projectId: string,
    readonly contactId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {}
}

@QueryHandler(ContactTimelineQuery)
export class ContactTimelineHandler implements IQueryHandler<ContactTimelineQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ projectId, contactId, limit, cursor }: ContactTimelineQuery) {
    const exists = await this.tx.manager.exists(ContactEntity, { where: { id: contactId, projectId }, withDeleted: true });
    if (!exists) throw new NotFoundError('contact', contactId);
    const qb = this.tx.manager.createQueryBuilder(ContactTimelineEntity, 't').where('t.contact_id = :contactId', { contactId });
    const after = decodeCursor(cursor);
    if (after) qb.andWhere('t.id > :after', { after });
    const rows = await qb.orderBy('t.id', 'ASC').limit(limit + 1).getMany();
    return toPage(rows, limit, (t) => ({
      id: t.id, type: t.eventType, category: t.category, title: t.title, payload: t.payload, source: t.source,
      triggeredBy: t.triggeredBy, eventId: t.eventId, occurredAt: t.occurredAt,
    }));
  }
}

export class ContactAtVersionQuery {
  constructor(
    readonly projectId: string,
    readonly contactId: string,
    readonly version: number,
  ) {}
}

@QueryHandler(ContactAtVersionQuery)
export class ContactAtVersionHandler implements IQueryHandler<ContactAtVersionQuery, ContactState> {
  constructor(@Inject(CONTACT_REPOSITORY) private readonly contacts: ContactRepository) {}

  async execute({ projectId, contactId, version }: ContactAtVersionQuery): Promise<ContactState> {
    const state = await this.contacts.stateAt(projectId, contactId, version);
    if (!state) throw new NotFoundError('contact_version', `${contactId}@${version}`);
    return state;
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function parseScalar(value: string): unknown {
  if (value === 'true' || value === 'false') return value === 'true';
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : value;
}
