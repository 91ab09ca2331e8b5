import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ContactsErrors } from '../contacts.errors';
import { ContactEntity } from '../infrastructure/contact.entity';
import { toContactRecord } from '../infrastructure/contact.mapper';
import { ContactView, toContactView } from './contact.views';

/** A contact list as the API shows it, with its count of live members. */
export interface ContactListView {
  id: string;
  name: string;
  description: string | null;
  contactCount: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

const SELECT = `SELECT l.id, l.name, l.description, l.version, l.created_at, l.updated_at, l.deleted_at,
                       (SELECT count(*)::int FROM contact_list_members m JOIN contacts c ON c.id = m.contact_id AND c.deleted_at IS NULL
                         WHERE m.list_id = l.id) AS contact_count
                  FROM contact_lists l WHERE l.project_id = $1`;

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

const view = (r: ListRow): ContactListView => ({
  id: r.id,
  name: r.name,
  description: r.description,
  contactCount: r.contact_count,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deletedAt: r.deleted_at,
});

export class ListContactListsQuery extends Query<Page<ContactListView>> {
  constructor(
    readonly projectId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/** Live lists, oldest first, keyset-paginated on the time-ordered id. */
@QueryHandler(ListContactListsQuery)
export class ListContactListsHandler implements IQueryHandler<ListContactListsQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ projectId, limit, cursor }: ListContactListsQuery): Promise<Page<ContactListView>> {
    const rows: ListRow[] = await this.tx.manager.query(
      `${SELECT} AND l.deleted_at IS NULL AND ($2::uuid IS NULL OR l.id > $2) ORDER BY l.id LIMIT $3`,
      [projectId, decodeCursor(cursor) ?? null, limit + 1],
    );
    return toPage(rows, limit, view);
  }
}

export class GetContactListQuery extends Query<ContactListView> {
  constructor(
    readonly projectId: string,
    readonly id: string,
  ) {
    super();
  }
}

/** A live list of the project. */
@QueryHandler(GetContactListQuery)
export class GetContactListHandler implements IQueryHandler<GetContactListQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ projectId, id }: GetContactListQuery): Promise<ContactListView> {
    const [row]: ListRow[] = await this.tx.manager.query(`${SELECT} AND l.id = $2 AND l.deleted_at IS NULL`, [projectId, id]);
    if (!row) throw ContactsErrors.notFound('contact_list', id);
    return view(row);
  }
}

export class ListContactListMembersQuery extends Query<Page<ContactView>> {
  constructor(
    readonly projectId: string,
    readonly listId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/** The live contacts of a live list, oldest first. */
@QueryHandler(ListContactListMembersQuery)
export class ListContactListMembersHandler implements IQueryHandler<ListContactListMembersQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ projectId, listId, limit, cursor }: ListContactListMembersQuery): Promise<Page<ContactView>> {
    const [list]: unknown[] = await this.tx.manager.query(
      `SELECT 1 FROM contact_lists WHERE project_id = $1 AND id = $2 AND deleted_at IS NULL`,
      [projectId, listId],
    );
    if (!list) throw ContactsErrors.notFound('contact_list', listId);
    const after = decodeCursor(cursor);
    const qb = this.tx.manager
      .createQueryBuilder(ContactEntity, 'c')
      .innerJoin('contact_list_members', 'm', 'm.contact_id = c.id AND m.list_id = :listId', { listId });
    if (after) qb.andWhere('c.id > :after', { after });
    const rows = await qb
      .orderBy('c.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (row) => toContactView(toContactRecord(row)));
  }
}
