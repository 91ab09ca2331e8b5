import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { isUuid } from '#kernel';
import { ContactSummary } from '../contacts.api';
import { ContactsErrors } from '../contacts.errors';
import { CustomFieldDefinition, CustomFieldType, validateCustomFields } from '../domain/contact-values';
import { CONTACT_REPOSITORY, CUSTOM_FIELD_REPOSITORY, ContactRepository, CustomFieldRepository } from '../domain/contacts.repositories';
import { ContactView, toContactView } from './contact.views';
import { CONTACT_READ_MODEL, ContactReadModel, ContactSearch, TimelineEntryView } from './contacts.read-models';

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

/** Newest first, keyset-paginated on the time-ordered id. */
@QueryHandler(ListContactsQuery)
export class ListContactsHandler implements IQueryHandler<ListContactsQuery> {
  constructor(
    @Inject(CONTACT_READ_MODEL) private readonly contacts: ContactReadModel,
    @Inject(CUSTOM_FIELD_REPOSITORY) private readonly customFields: CustomFieldRepository,
  ) {}

  async execute({ projectId, filter, limit, cursor }: ListContactsQuery): Promise<Page<ContactView>> {
    const search = await toContactSearch(filter, () => this.customFields.definitions(projectId));
    const rows = await this.contacts.search(projectId, search, limit + 1, decodeCursor(cursor));
    return toPage(rows, limit, toContactView);
  }
}

/**
 * The filter as the read model takes it: a custom field's value is read as the field's defined type, and checked
 * as a written value would be: an undefined key or a value the field cannot hold is a 400, not an empty result.
 */
export async function toContactSearch(
  filter: ContactFilter,
  definitions: () => Promise<readonly CustomFieldDefinition[]>,
): Promise<ContactSearch> {
  if (!filter.customField) return { ...filter, customField: undefined };
  const { key, value } = filter.customField;
  const defined = await definitions();
  const typed = fromQueryString(defined.find((d) => d.key === key)?.type, value);
  validateCustomFields({ [key]: typed }, defined);
  return { ...filter, customField: { key, value: typed } };
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
  constructor(@Inject(CONTACT_READ_MODEL) private readonly contacts: ContactReadModel) {}

  async execute({ projectId, id }: GetContactQuery): Promise<ContactView> {
    const contact = await this.contacts.get(projectId, id);
    if (!contact) throw ContactsErrors.notFound('contact', id);
    return toContactView(contact);
  }
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
  constructor(@Inject(CONTACT_READ_MODEL) private readonly contacts: ContactReadModel) {}

  async execute({ projectId, contactId }: GetContactSummaryQuery): Promise<ContactSummary | undefined> {
    if (!isUuid(contactId)) return undefined;
    const contact = await this.contacts.get(projectId, contactId);
    if (!contact) return undefined;
    const { name, email, phone, tags, language, timezone, customFields } = contact;
    return { contactId: contact.id, name, email, phone, tags: [...tags], language, timezone, customFields: { ...customFields } };
  }
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

/** Oldest first; also the timeline of a deleted contact. */
@QueryHandler(ContactTimelineQuery)
export class ContactTimelineHandler implements IQueryHandler<ContactTimelineQuery> {
  constructor(@Inject(CONTACT_READ_MODEL) private readonly contacts: ContactReadModel) {}

  async execute({ projectId, contactId, limit, cursor }: ContactTimelineQuery): Promise<Page<TimelineEntryView>> {
    if (!(await this.contacts.exists(projectId, contactId))) throw ContactsErrors.notFound('contact', contactId);
    const rows = await this.contacts.timeline(contactId, limit + 1, decodeCursor(cursor));
    return toPage(rows, limit, (entry) => entry);
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
    const state = await this.contacts.stateAt(projectId, contactId, version);
    if (!state) throw ContactsErrors.notFound('contact_version', `${contactId}@${version}`);
    return toContactView(state);
  }
}

/** A query-string value as the custom field's type (left as text when it cannot be one, so validation rejects it). */
function fromQueryString(type: CustomFieldType | undefined, value: string): unknown {
  if (type === 'number') return value.trim() === '' ? value : Number(value);
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}
