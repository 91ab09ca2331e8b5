import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page } from '#http/pagination';
import { CUSTOM_FIELD_READ_MODEL, CustomFieldReadModel, CustomFieldView } from './contacts.read-models';

export class ListCustomFieldsQuery extends Query<Page<CustomFieldView>> {
  constructor(readonly projectId: string) {
    super();
  }
}

/** Every live custom field of the project, by key: one page (a project defines a handful). */
@QueryHandler(ListCustomFieldsQuery)
export class ListCustomFieldsHandler implements IQueryHandler<ListCustomFieldsQuery> {
  constructor(@Inject(CUSTOM_FIELD_READ_MODEL) private readonly fields: CustomFieldReadModel) {}

  async execute({ projectId }: ListCustomFieldsQuery): Promise<Page<CustomFieldView>> {
    return { data: await this.fields.list(projectId), nextCursor: null };
  }
}
