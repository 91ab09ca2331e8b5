import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { In } from 'typeorm';
import { ExpectedVersion, NotFoundError, ValidationError, assertExpectedVersion, domainEvent, newId } from '#kernel';
import { OutboxWriter } from '#outbox/outbox-writer';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Principal } from '#tenancy';
import { ContactList, ContactListState } from '../domain/contact-list';
import { CONTACT_LIST_REPOSITORY, ContactListRepository } from '../domain/contacts.repositories';
import { ContactEntity } from '../infrastructure/contact.entity';

export class CreateContactListCommand {
  constructor(
    readonly principal: Principal,
    readonly name: string,
    readonly description: string | null,
  ) {}
}

@CommandHandler(CreateContactListCommand)
export class CreateContactListHandler implements ICommandHandler<CreateContactListCommand, Readonly<ContactListState>> {
  constructor(@Inject(CONTACT_LIST_REPOSITORY) private readonly lists: ContactListRepository) {}

  async execute({ principal, name, description }: CreateContactListCommand): Promise<Readonly<ContactListState>> {
    const list = ContactList.create({ id: newId(), tenantId: principal.tenantId, projectId: principal.projectId, name, description });
    await this.lists.save(list);
    return list.snapshot;
  }
}

export class ChangeContactListCommand {
  constructor(
    readonly principal: Principal,
    readonly id: string,
    readonly change: { kind: 'update'; name?: string; description?: string | null } | { kind: 'delete' } | { kind: 'restore' },
    readonly expected?: ExpectedVersion,
  ) {}
}

@CommandHandler(ChangeContactListCommand)
export class ChangeContactListHandler implements ICommandHandler<ChangeContactListCommand, Readonly<ContactListState>> {
  constructor(@Inject(CONTACT_LIST_REPOSITORY) private readonly lists: ContactListRepository) {}

  async execute({ principal, id, change, expected }: ChangeContactListCommand): Promise<Readonly<ContactListState>> {
    const list = await this.lists.findById(principal.projectId, id, { withDeleted: change.kind === 'restore' });
    if (!list || (change.kind === 'restore' && !list.isDeleted)) throw new NotFoundError('contact_list', id);
    assertExpectedVersion('contact_list', list.version, expected);
    if (change.kind === 'update') list.update({ name: change.name, description: change.description });
    else if (change.kind === 'delete') list.delete();
    else list.undelete();
    await this.lists.save(list, expected);
    return list.snapshot;
  }
}

export class ChangeListMembershipCommand {
  constructor(
    readonly principal: Principal,
    readonly listId: string,
    readonly contactIds: string[],
    readonly action: 'add' | 'remove',
  ) {}
}

/**
 * Adds or removes contacts of the same project; adding a member twice or removing a non-member changes nothing.
 * One event per contact actually added or removed.
 */
@CommandHandler(ChangeListMembershipCommand)
export class ChangeListMembershipHandler implements ICommandHandler<ChangeListMembershipCommand, { changed: string[] }> {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxWriter,
    @Inject(CONTACT_LIST_REPOSITORY) private readonly lists: ContactListRepository,
  ) {}

  async execute({ principal, listId, contactIds, action }: ChangeListMembershipCommand): Promise<{ changed: string[] }> {
    const list = await this.lists.findById(principal.projectId, listId);
    if (!list) throw new NotFoundError('contact_list', listId);
    const ids = [...new Set(contactIds)];
    const m = this.tx.manager;
    let changed: string[];
    if (action === 'add') {
      const found = await m.find(ContactEntity, { where: { id: In(ids), projectId: principal.projectId }, select: { id: true } });
      if (found.length !== ids.length) {
        const known = new Set(found.map((c) => c.id));
        throw new ValidationError('contact_list.unknown_contacts', 'Some contacts do not exist in this project', {
          contactIds: ids.filter((id) => !known.has(id)),
        });
      }
      const rows: { contact_id: string }[] = await m.query(
        `INSERT INTO contact_list_members (tenant_id, list_id, contact_id) SELECT $1, $2, unnest($3::uuid[])
         ON CONFLICT DO NOTHING RETURNING contact_id`,
        [principal.tenantId, listId, ids],
      );
      changed = rows.map((r) => r.contact_id);
    } else {
      // For DELETE (and UPDATE), TypeORM's query() answers [rows, affected count], not the rows.
      const [rows]: [{ contact_id: string }[], number] = await m.query(
        `DELETE FROM contact_list_members WHERE list_id = $1 AND contact_id = ANY($2::uuid[]) RETURNING contact_id`,
        [listId, ids],
      );
      changed = rows.map((r) => r.contact_id);
    }
    await this.outbox.append(
      changed.map((contactId) =>
        domainEvent({
          type: action === 'add' ? 'contact_list.contact_added' : 'contact_list.contact_removed',
          aggregateType: 'contact_list',
          aggregateId: listId,
          aggregateVersion: list.version,
          tenantId: principal.tenantId,
          projectId: principal.projectId,
          payload: { contactId },
        }),
      ),
    );
    return { changed };
  }
}
