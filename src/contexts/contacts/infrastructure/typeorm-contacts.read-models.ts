import { Injectable } from '@nestjs/common';
import { newId } from '#kernel';
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
   */
  async search(projectId: string, search: ContactSearch, take: number, before?: string): Promise<ContactRecord[]> {
    const qb = this.tx.manager
      .createQueryBuilder(ContactEntity, 'c')
      .withDeleted()
      .where('c.project_id = :projectId', { projectId })
      .andWhere(search.deleted ? 'c.deleted_at IS NOT NULL' : 'c.deleted_at IS NULL');
    if (before) qb.andWhere('c.id < :before', { before });
    if (search.q || search.tag || search.customField) {
      qb.andWhere(
        'c.id IN (SELECT contact_search(:projectId::uuid, :pattern::text, :tag::text, :cf::jsonb, :deleted::boolean, :after::uuid, :take::int))',
        {
          pattern: search.q ? `%${escapeLike(search.q)}%` : null,
          tag: search.tag ?? null,
          // A computed key makes an own property, also for a key like `__proto__`.
          cf: search.customField ? JSON.stringify({ [search.customField.key]: search.customField.value }) : null,
          deleted: search.deleted === true,
          after: before ?? null,
          take,
        },
      );
    }
    const rows = await qb.orderBy('c.id', 'DESC').limit(take).getMany();
    return rows.map(toContactRecord);
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
    await this.tx.manager.insert(
      ContactTimelineEntity,
      entries.map((e) => ({ id: newId(), ...e })),
    );
  }
}

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
