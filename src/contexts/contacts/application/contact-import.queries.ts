import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { ContactsErrors } from '../contacts.errors';
import { CONTACT_IMPORT_REPOSITORY, ContactImportRepository, ImportView } from './contact-import.ports';

export class GetImportQuery extends Query<ImportView> {
  constructor(
    readonly projectId: string,
    readonly id: string,
  ) {
    super();
  }
}

@QueryHandler(GetImportQuery)
export class GetImportHandler implements IQueryHandler<GetImportQuery> {
  constructor(@Inject(CONTACT_IMPORT_REPOSITORY) private readonly imports: ContactImportRepository) {}

  async execute({ projectId, id }: GetImportQuery): Promise<ImportView> {
    const view = await this.imports.get(projectId, id);
    if (!view) throw ContactsErrors.notFound('contact_import', id);
    return view;
  }
}

export class ListImportsQuery extends Query<Page<ImportView>> {
  constructor(
    readonly projectId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/** Newest first, keyset-paginated on the time-ordered id. */
@QueryHandler(ListImportsQuery)
export class ListImportsHandler implements IQueryHandler<ListImportsQuery> {
  constructor(@Inject(CONTACT_IMPORT_REPOSITORY) private readonly imports: ContactImportRepository) {}

  async execute({ projectId, limit, cursor }: ListImportsQuery): Promise<Page<ImportView>> {
    const rows = await this.imports.list(projectId, limit + 1, decodeCursor(cursor));
    return toPage(rows, limit, (row) => row);
  }
}
