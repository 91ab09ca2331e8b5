import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { ExpectedVersion } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { rowStatements } from '#persistence/row-statements';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ContactsErrors } from '../contacts.errors';
import { ContactList } from '../domain/contact-list';
import { ContactListRepository } from '../domain/contacts.repositories';
import { ContactListMemberEntity } from './contact-list-member.entity';
import { ContactListEntity } from './contact-list.entity';

@Injectable()
export class TypeormContactListRepository implements ContactListRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async findById(projectId: string, id: string, options: { withDeleted?: boolean; forUpdate?: boolean } = {}): Promise<ContactList | null> {
    const row = await this.tx.manager.findOne(ContactListEntity, {
      where: { id, projectId },
      withDeleted: options.withDeleted,
      ...(options.forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    return row
      ? ContactList.restore({
          id: row.id,
          tenantId: row.tenantId,
          projectId: row.projectId,
          name: row.name,
          description: row.description,
          version: row.version,
          deletedAt: row.deletedAt ?? null,
        })
      : null;
  }

  async membersAmong(listId: string, contactIds: readonly string[]): Promise<Set<string>> {
    const rows = await this.tx.manager.find(ContactListMemberEntity, {
      where: { listId, contactId: In([...contactIds]) },
      select: { contactId: true },
    });
    return new Set(rows.map((r) => r.contactId));
  }

  async save(list: ContactList, expected?: ExpectedVersion): Promise<void> {
    const { version: _v, ...row } = list.snapshot;
    const { events } = await this.store.save(list, ContactListEntity, row, 'contact_list', {
      expected,
      unique: { uq_contact_lists_project_name: ContactsErrors.duplicateListName },
    });
    // The membership rows follow the list's events, in the same transaction as the list's new version.
    const added = events.flatMap((e) => (e.type === 'contact_list.contact_added' ? [e.payload.contactId] : []));
    const removed = events.flatMap((e) => (e.type === 'contact_list.contact_removed' ? [e.payload.contactId] : []));
    if (added.length > 0) {
      const { text, values } = rowStatements.insertMany(
        this.tx.manager,
        ContactListMemberEntity,
        added.map((contactId) => ({ listId: list.id, contactId, tenantId: row.tenantId })),
      );
      await this.tx.manager.query(text, values);
    }
    if (removed.length > 0) await this.tx.manager.delete(ContactListMemberEntity, { listId: list.id, contactId: In(removed) });
  }
}
