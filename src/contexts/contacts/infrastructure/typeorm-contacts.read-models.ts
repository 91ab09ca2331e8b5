import { Injectable } from '@nestjs/common';
import { newId } from '#kernel';
import { rowStatements } from '#persistence/row-statements';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ContactRecord } from '../application/contact.views';
import {
  ContactListReadModel,
  ContactListView,
  ContactReadModel,
  ContactSearch,
  CustomFieldReadModel,
  CustomFieldView,
  NewTimelineEntry,
  TimelineEntryView,
} from '../application/contacts.read-models';
import { CustomFieldType } from '../contacts.events';
import { ContactCustomFieldEntity } from './contact-custom-field.entity';
import { ContactTimelineEntity } from './contact-timeline.entity';
import { ContactEntity } from './contact.entity';
import { toContactRecord } from './contact.mapper';

@Injectable()
export class TypeormContactReadModel implements ContactReadModel {
  constructor(private readonly tx: TransactionRunner) {}

  /**
   * Every filter is served by an index of its own. RLS would apply `q`, `tag` and `customField` only as a filter
   * after the tenant policy (their operators are not leakproof), so `contact_search` picks the page's ids instead.
   * Plain SQL read into records: a page is the hot read of the context, and TypeORM's query builder and entity
   * hydration cost more than the index scan itself (issue 9).
   */
  async search(projectId: string, search: ContactSearch, take: number, before?: string): Promise<ContactRecord[]> {
    const params: unknown[] = [projectId, take];
    const where = ['c.project_id = $1', search.deleted ? 'c.deleted_at IS NOT NULL' : 'c.deleted_at IS NULL'];
    if (before) where.push(`c.id < $${params.push(before)}`);
    if (search.q || search.tag || search.customField) {
      const filter = [
        search.q ? `%${escapeLike(search.q)}%` : null,
        search.tag ?? null,
        // A computed key makes an own property, also for a key like `__proto__`.
        search.customField ? JSON.stringify({ [search.customField.key]: search.customField.value }) : null,
        search.deleted === true,
        before ?? null,
      ].map((value) => params.push(value));
      where.push(
        `c.id IN (SELECT contact_search($1::uuid, $${filter[0]}::text, $${filter[1]}::text, $${filter[2]}::jsonb, $${filter[3]}::boolean, $${filter[4]}::uuid, $2::int))`,
      );
    }
    const rows: ContactRow[] = await this.tx.manager.query(
      `SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE ${where.join(' AND ')} ORDER BY c.id DESC LIMIT $2`,
      params,
    );
    return rows.map(fromContactRow);
  }

  async get(projectId: string, id: string): Promise<ContactRecord | null> {
    const row = await this.tx.manager.findOne(ContactEntity, { where: { id, projectId } });
    return row ? toContactRecord(row) : null;
  }

  exists(projectId: string, id: string): Promise<boolean> {
    return this.tx.manager.exists(ContactEntity, { where: { id, projectId }, withDeleted: true });
  }

  async timeline(contactId: string, take: number, after?: string): Promise<TimelineEntryView[]> {
    const qb = this.tx.manager.createQueryBuilder(ContactTimelineEntity, 't').where('t.contact_id = :contactId', { contactId });
    if (after) qb.andWhere('t.id > :after', { after });
    const rows = await qb.orderBy('t.id', 'ASC').limit(take).getMany();
    return rows.map((t) => ({
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

  async appendTimeline(entries: readonly NewTimelineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const { text, values } = rowStatements.insertMany(
      this.tx.manager,
      ContactTimelineEntity,
      entries.map((e) => ({ id: newId(), ...e })),
    );
    await this.tx.manager.query(text, values);
  }
}

/** The columns of a contact record, as `fromContactRow` reads them. */
const CONTACT_COLUMNS = `c.id, c.tenant_id, c.project_id, c.name, c.email, c.phone, c.external_id, c.source_channel, c.language,
  c.timezone, c.tags, c.custom_fields, c.profile_picture_url, c.first_touch, c.version, c.deleted_at, c.created_at, c.updated_at`;

interface ContactRow {
  id: string;
  tenant_id: string;
  project_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  external_id: string | null;
  source_channel: string | null;
  language: string | null;
  timezone: string | null;
  tags: string[];
  custom_fields: Record<string, unknown>;
  profile_picture_url: string | null;
  first_touch: ContactRecord['firstTouch'];
  version: number;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const fromContactRow = (r: ContactRow): ContactRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  projectId: r.project_id,
  name: r.name,
  email: r.email,
  phone: r.phone,
  externalId: r.external_id,
  sourceChannel: r.source_channel,
  language: r.language,
  timezone: r.timezone,
  tags: r.tags,
  customFields: r.custom_fields,
  profilePictureUrl: r.profile_picture_url,
  firstTouch: r.first_touch,
  version: r.version,
  deletedAt: r.deleted_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

interface ListRow {
  id: string;
  name: string;
  description: string | null;
  contact_count: number;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

const LISTS = `SELECT l.id, l.name, l.description, l.version, l.created_at, l.updated_at, l.deleted_at,
                      (SELECT count(*)::int FROM contact_list_members m JOIN contacts c ON c.id = m.contact_id AND c.deleted_at IS NULL
                        WHERE m.list_id = l.id) AS contact_count
                 FROM contact_lists l WHERE l.project_id = $1 AND l.deleted_at IS NULL`;

const listView = (r: ListRow): ContactListView => ({
  id: r.id,
  name: r.name,
  description: r.description,
  contactCount: r.contact_count,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deletedAt: r.deleted_at,
});

@Injectable()
export class TypeormContactListReadModel implements ContactListReadModel {
  constructor(private readonly tx: TransactionRunner) {}

  async list(projectId: string, take: number, after?: string): Promise<ContactListView[]> {
    const rows: ListRow[] = await this.tx.manager.query(`${LISTS} AND ($2::uuid IS NULL OR l.id > $2) ORDER BY l.id LIMIT $3`, [
      projectId,
      after ?? null,
      take,
    ]);
    return rows.map(listView);
  }

  async get(projectId: string, id: string): Promise<ContactListView | null> {
    const [row]: ListRow[] = await this.tx.manager.query(`${LISTS} AND l.id = $2`, [projectId, id]);
    return row ? listView(row) : null;
  }

  async members(listId: string, take: number, after?: string): Promise<ContactRecord[]> {
    const qb = this.tx.manager
      .createQueryBuilder(ContactEntity, 'c')
      .innerJoin('contact_list_members', 'm', 'm.contact_id = c.id AND m.list_id = :listId', { listId });
    if (after) qb.andWhere('c.id > :after', { after });
    const rows = await qb.orderBy('c.id', 'ASC').limit(take).getMany();
    return rows.map(toContactRecord);
  }
}

@Injectable()
export class TypeormCustomFieldReadModel implements CustomFieldReadModel {
  constructor(private readonly tx: TransactionRunner) {}

  async list(projectId: string): Promise<CustomFieldView[]> {
    const rows = await this.tx.manager.find(ContactCustomFieldEntity, { where: { projectId }, order: { key: 'ASC' } });
    return rows.map((f) => ({
      id: f.id,
      key: f.key,
      label: f.label,
      type: f.fieldType as CustomFieldType,
      version: f.version,
      createdAt: f.createdAt,
      updatedAt: f.updatedAt,
    }));
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
