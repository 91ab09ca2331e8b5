import { Injectable } from '@nestjs/common';
import { DomainError, ExpectedVersion } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ContactList } from '../domain/contact-list';
import { ContactListRepository } from '../domain/contacts.repositories';
import { ContactListEntity } from './contact-list.entity';

@Injectable()
export class TypeormContactListRepository implements ContactListRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async findById(projectId: string, id: string, options: { withDeleted?: boolean } = {}): Promise<ContactList | null> {
    const row = await this.tx.manager.findOne(ContactListEntity, { where: { id, projectId }, withDeleted: options.withDeleted });
    return row ? ContactList.restore({ ...row, deletedAt: row.deletedAt ?? null }) : null;
  }

  async save(list: ContactList, expected?: ExpectedVersion): Promise<void> {
    const { version: _v, ...row } = list.snapshot;
    await this.store.save(list, ContactListEntity, row, 'contact_list', {
      expected,
      unique: {
        uq_contact_lists_project_name: () =>
          new DomainError('conflict', 'contact_list.duplicate_name', 'Another list of this project has this name'),
      },
    });
  }
}
