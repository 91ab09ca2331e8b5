import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, assertExpectedVersion, newId } from '#kernel';
import { ContactsErrors } from '../contacts.errors';
import { ContactList } from '../domain/contact-list';
import { CONTACT_LIST_REPOSITORY, CONTACT_REPOSITORY, ContactListRepository, ContactRepository } from '../domain/contacts.repositories';
import { ContactsScope } from './contact.views';

export class CreateContactListCommand extends Command<{ id: string }> {
  constructor(
    readonly scope: ContactsScope,
    readonly name: string,
    readonly description: string | null,
  ) {
    super();
  }
}

@CommandHandler(CreateContactListCommand)
export class CreateContactListHandler implements ICommandHandler<CreateContactListCommand> {
  constructor(@Inject(CONTACT_LIST_REPOSITORY) private readonly lists: ContactListRepository) {}

  async execute({ scope, name, description }: CreateContactListCommand): Promise<{ id: string }> {
    const list = ContactList.create({ id: newId(), tenantId: scope.tenantId, projectId: scope.projectId, name, description });
    await this.lists.save(list);
    return { id: list.id };
  }
}

export type ContactListChange = { kind: 'update'; name?: string; description?: string | null } | { kind: 'delete' } | { kind: 'restore' };

export class ChangeContactListCommand extends Command<{ id: string }> {
  constructor(
    readonly scope: ContactsScope,
    readonly id: string,
    readonly change: ContactListChange,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

@CommandHandler(ChangeContactListCommand)
export class ChangeContactListHandler implements ICommandHandler<ChangeContactListCommand> {
  constructor(@Inject(CONTACT_LIST_REPOSITORY) private readonly lists: ContactListRepository) {}

  async execute({ scope, id, change, expected }: ChangeContactListCommand): Promise<{ id: string }> {
    const list = await this.lists.findById(scope.projectId, id, { withDeleted: change.kind === 'restore' });
    if (!list || (change.kind === 'restore' && !list.isDeleted)) throw ContactsErrors.notFound('contact_list', id);
    assertExpectedVersion('contact_list', list.version, expected);
    if (change.kind === 'update') list.update({ name: change.name, description: change.description });
    else if (change.kind === 'delete') list.delete();
    else list.undelete();
    await this.lists.save(list, expected);
    return { id };
  }
}

export class ChangeListMembershipCommand extends Command<{ changed: string[] }> {
  constructor(
    readonly scope: ContactsScope,
    readonly listId: string,
    readonly contactIds: string[],
    readonly action: 'add' | 'remove',
  ) {
    super();
  }
}

/**
 * Adds or removes contacts of the same project; adding a member twice or removing a non-member changes nothing.
 * The list raises one event per contact actually added or removed, and moves to its next version.
 */
@CommandHandler(ChangeListMembershipCommand)
export class ChangeListMembershipHandler implements ICommandHandler<ChangeListMembershipCommand> {
  constructor(
    @Inject(CONTACT_LIST_REPOSITORY) private readonly lists: ContactListRepository,
    @Inject(CONTACT_REPOSITORY) private readonly contacts: ContactRepository,
  ) {}

  async execute({ scope, listId, contactIds, action }: ChangeListMembershipCommand): Promise<{ changed: string[] }> {
    // Locked: concurrent changes of one list's membership queue up instead of failing the list's compare-and-swap.
    const list = await this.lists.findById(scope.projectId, listId, { forUpdate: true });
    if (!list) throw ContactsErrors.notFound('contact_list', listId);
    const ids = [...new Set(contactIds)];
    if (action === 'add') {
      const known = await this.contacts.existingIds(scope.projectId, ids);
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length > 0) throw ContactsErrors.unknownContacts(unknown);
    }
    const members = await this.lists.membersAmong(listId, ids);
    const changed = action === 'add' ? list.addContacts(ids, members) : list.removeContacts(ids, members);
    await this.lists.save(list);
    return { changed };
  }
}
