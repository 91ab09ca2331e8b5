import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { ContactsErrors } from '../contacts.errors';
import { ContactView, toContactView } from './contact.views';
import { CONTACT_LIST_READ_MODEL, ContactListReadModel, ContactListView } from './contacts.read-models';

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
  constructor(@Inject(CONTACT_LIST_READ_MODEL) private readonly lists: ContactListReadModel) {}

  async execute({ projectId, limit, cursor }: ListContactListsQuery): Promise<Page<ContactListView>> {
    return toPage(await this.lists.list(projectId, limit + 1, decodeCursor(cursor)), limit, (list) => list);
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
  constructor(@Inject(CONTACT_LIST_READ_MODEL) private readonly lists: ContactListReadModel) {}

  async execute({ projectId, id }: GetContactListQuery): Promise<ContactListView> {
    const list = await this.lists.get(projectId, id);
    if (!list) throw ContactsErrors.notFound('contact_list', id);
    return list;
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
  constructor(@Inject(CONTACT_LIST_READ_MODEL) private readonly lists: ContactListReadModel) {}

  async execute({ projectId, listId, limit, cursor }: ListContactListMembersQuery): Promise<Page<ContactView>> {
    if (!(await this.lists.get(projectId, listId))) throw ContactsErrors.notFound('contact_list', listId);
    return toPage(await this.lists.members(listId, limit + 1, decodeCursor(cursor)), limit, toContactView);
  }
}
