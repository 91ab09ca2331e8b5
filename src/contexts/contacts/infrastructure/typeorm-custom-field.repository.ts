import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '#persistence/transaction-runner';
import { CustomFieldDefinition, CustomFieldType } from '../domain/contact-values';
import { CustomFieldRepository } from '../domain/contacts.repositories';
import { ContactCustomFieldEntity } from './contact-custom-field.entity';

@Injectable()
export class TypeormCustomFieldRepository implements CustomFieldRepository {
  constructor(private readonly tx: TransactionRunner) {}

  async definitions(projectId: string): Promise<CustomFieldDefinition[]> {
    const rows = await this.tx.manager.find(ContactCustomFieldEntity, { where: { projectId }, select: { key: true, fieldType: true } });
    return rows.map((r) => ({ key: r.key, type: r.fieldType as CustomFieldType }));
  }
}
