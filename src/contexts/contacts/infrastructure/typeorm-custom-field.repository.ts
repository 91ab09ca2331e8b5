import { Injectable } from '@nestjs/common';
import { ExpectedVersion } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { WriteStamps } from '#persistence/row-statements';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ContactsErrors } from '../contacts.errors';
import { CustomFieldDefinition, CustomFieldType } from '../domain/contact-values';
import { CustomFieldRepository } from '../domain/contacts.repositories';
import { CustomField } from '../domain/custom-field';
import { ContactCustomFieldEntity } from './contact-custom-field.entity';

@Injectable()
export class TypeormCustomFieldRepository implements CustomFieldRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async definitions(projectId: string): Promise<CustomFieldDefinition[]> {
    const rows = await this.tx.manager.find(ContactCustomFieldEntity, { where: { projectId }, select: { key: true, fieldType: true } });
    return rows.map((r) => ({ key: r.key, type: r.fieldType as CustomFieldType }));
  }

  async findById(projectId: string, id: string): Promise<CustomField | null> {
    const row = await this.tx.manager.findOneBy(ContactCustomFieldEntity, { id, projectId });
    return row
      ? CustomField.restore({
          id: row.id,
          tenantId: row.tenantId,
          projectId: row.projectId,
          key: row.key,
          label: row.label,
          type: row.fieldType as CustomFieldType,
          version: row.version,
          deletedAt: row.deletedAt ?? null,
        })
      : null;
  }

  async save(field: CustomField, expected?: ExpectedVersion): Promise<WriteStamps | undefined> {
    const { version: _v, type, ...rest } = field.snapshot;
    const { stamps } = await this.store.save(field, ContactCustomFieldEntity, { ...rest, fieldType: type }, 'custom_field', {
      expected,
      unique: { uq_contact_custom_fields_project_key: () => ContactsErrors.duplicateFieldKey(rest.key) },
    });
    return stamps;
  }
}
