import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page } from '#http/pagination';
import { TransactionRunner } from '#persistence/transaction-runner';
import { CustomFieldType } from '../contacts.events';
import { ContactCustomFieldEntity } from '../infrastructure/contact-custom-field.entity';

/** A custom field definition as the API shows it. */
export interface CustomFieldView {
  id: string;
  key: string;
  label: string;
  type: CustomFieldType;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export class ListCustomFieldsQuery extends Query<Page<CustomFieldView>> {
  constructor(readonly projectId: string) {
    super();
  }
}

/** Every live custom field of the project, by key: one page (a project defines a handful). */
@QueryHandler(ListCustomFieldsQuery)
export class ListCustomFieldsHandler implements IQueryHandler<ListCustomFieldsQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ projectId }: ListCustomFieldsQuery): Promise<Page<CustomFieldView>> {
    const rows = await this.tx.manager.find(ContactCustomFieldEntity, { where: { projectId }, order: { key: 'ASC' } });
    return {
      data: rows.map((f) => ({
        id: f.id,
        key: f.key,
        label: f.label,
        type: f.fieldType as CustomFieldType,
        version: f.version,
        createdAt: f.createdAt,
        updatedAt: f.updatedAt,
      })),
      nextCursor: null,
    };
  }
}
