import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { CONTACTS_API, ContactsApi } from '../../contacts/contacts.api';
import { PipelinesErrors } from '../pipelines.errors';
import { ContactStatusView, HistoryEntryView, PIPELINE_READ_MODEL, PipelineReadModel } from './pipelines.read-models';

/** 404s in the order a client reads the path: the contact, then the pipeline. */
async function assertPath(contacts: ContactsApi, pipelines: PipelineReadModel, projectId: string, contactId: string, pipelineId: string) {
  if (!(await contacts.getContact({ projectId, contactId }))) throw PipelinesErrors.notFound('contact', contactId);
  if (!(await pipelines.get(projectId, pipelineId))) throw PipelinesErrors.notFound('pipeline', pipelineId);
}

export class ContactStatusQuery extends Query<ContactStatusView | undefined> {
  constructor(
    readonly projectId: string,
    readonly contactId: string,
    readonly pipelineId: string,
  ) {
    super();
  }
}

/** The contact's current status in a live pipeline; undefined when it is not in it. */
@QueryHandler(ContactStatusQuery)
export class ContactStatusHandler implements IQueryHandler<ContactStatusQuery> {
  constructor(
    @Inject(PIPELINE_READ_MODEL) private readonly pipelines: PipelineReadModel,
    @Inject(CONTACTS_API) private readonly contacts: ContactsApi,
  ) {}

  async execute({ projectId, contactId, pipelineId }: ContactStatusQuery): Promise<ContactStatusView | undefined> {
    await assertPath(this.contacts, this.pipelines, projectId, contactId, pipelineId);
    return (await this.pipelines.contactStatus(pipelineId, contactId)) ?? undefined;
  }
}

export class ContactHistoryQuery extends Query<Page<HistoryEntryView>> {
  constructor(
    readonly projectId: string,
    readonly contactId: string,
    readonly pipelineId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/** The contact's stays in the pipeline's statuses, oldest first. */
@QueryHandler(ContactHistoryQuery)
export class ContactHistoryHandler implements IQueryHandler<ContactHistoryQuery> {
  constructor(
    @Inject(PIPELINE_READ_MODEL) private readonly pipelines: PipelineReadModel,
    @Inject(CONTACTS_API) private readonly contacts: ContactsApi,
  ) {}

  async execute({ projectId, contactId, pipelineId, limit, cursor }: ContactHistoryQuery): Promise<Page<HistoryEntryView>> {
    await assertPath(this.contacts, this.pipelines, projectId, contactId, pipelineId);
    return toPage(await this.pipelines.history(pipelineId, contactId, limit + 1, decodeCursor(cursor)), limit, (e) => e);
  }
}
