import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { PipelinesErrors } from '../pipelines.errors';
import { BoardEntryRecord, PIPELINE_READ_MODEL, PipelineReadModel, PipelineStatusView, PipelineView } from './pipelines.read-models';

export class ListPipelinesQuery extends Query<Page<PipelineView>> {
  constructor(
    readonly projectId: string,
    readonly deleted: boolean,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/** Pipelines oldest first, keyset-paginated on the time-ordered id. */
@QueryHandler(ListPipelinesQuery)
export class ListPipelinesHandler implements IQueryHandler<ListPipelinesQuery> {
  constructor(@Inject(PIPELINE_READ_MODEL) private readonly pipelines: PipelineReadModel) {}

  async execute({ projectId, deleted, limit, cursor }: ListPipelinesQuery): Promise<Page<PipelineView>> {
    return toPage(await this.pipelines.list(projectId, deleted, limit + 1, decodeCursor(cursor)), limit, (p) => p);
  }
}

export class GetPipelineQuery extends Query<PipelineView> {
  constructor(
    readonly projectId: string,
    readonly id: string,
  ) {
    super();
  }
}

@QueryHandler(GetPipelineQuery)
export class GetPipelineHandler implements IQueryHandler<GetPipelineQuery> {
  constructor(@Inject(PIPELINE_READ_MODEL) private readonly pipelines: PipelineReadModel) {}

  async execute({ projectId, id }: GetPipelineQuery): Promise<PipelineView> {
    const pipeline = await this.pipelines.get(projectId, id);
    if (!pipeline) throw PipelinesErrors.notFound('pipeline', id);
    return pipeline;
  }
}

export interface BoardContactView {
  contactId: string;
  enteredAt: Date;
}

export interface BoardColumnView extends PipelineStatusView {
  contactCount: number;
  contacts: BoardContactView[];
  /** The cursor of the status's next page (GET /pipelines/{id}/statuses/{statusId}/contacts); null on the last. */
  nextCursor: string | null;
}

export interface BoardView {
  pipelineId: string;
  name: string;
  statuses: BoardColumnView[];
}

export class PipelineBoardQuery extends Query<BoardView> {
  constructor(
    readonly projectId: string,
    readonly id: string,
    readonly limit: number,
  ) {
    super();
  }
}

/** The board: every live status in order with its contact count and first page (one query, whatever the size). */
@QueryHandler(PipelineBoardQuery)
export class PipelineBoardHandler implements IQueryHandler<PipelineBoardQuery> {
  constructor(@Inject(PIPELINE_READ_MODEL) private readonly pipelines: PipelineReadModel) {}

  async execute({ projectId, id, limit }: PipelineBoardQuery): Promise<BoardView> {
    const pipeline = await this.pipelines.get(projectId, id);
    if (!pipeline) throw PipelinesErrors.notFound('pipeline', id);
    const columns = new Map((await this.pipelines.board(id, limit + 1)).map((c) => [c.statusId, c]));
    return {
      pipelineId: id,
      name: pipeline.name,
      statuses: pipeline.statuses.map((status) => {
        const column = columns.get(status.id);
        const page = toPage(column?.entries ?? [], limit, toBoardContact);
        return { ...status, contactCount: column?.contactCount ?? 0, contacts: page.data, nextCursor: page.nextCursor };
      }),
    };
  }
}

export class StatusContactsQuery extends Query<Page<BoardContactView>> {
  constructor(
    readonly projectId: string,
    readonly pipelineId: string,
    readonly statusId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/** A further page of one board column. */
@QueryHandler(StatusContactsQuery)
export class StatusContactsHandler implements IQueryHandler<StatusContactsQuery> {
  constructor(@Inject(PIPELINE_READ_MODEL) private readonly pipelines: PipelineReadModel) {}

  async execute({ projectId, pipelineId, statusId, limit, cursor }: StatusContactsQuery): Promise<Page<BoardContactView>> {
    const pipeline = await this.pipelines.get(projectId, pipelineId);
    if (!pipeline) throw PipelinesErrors.notFound('pipeline', pipelineId);
    if (!pipeline.statuses.some((s) => s.id === statusId)) throw PipelinesErrors.notFound('pipeline_status', statusId);
    return toPage(await this.pipelines.statusEntries(pipelineId, statusId, limit + 1, decodeCursor(cursor)), limit, toBoardContact);
  }
}

function toBoardContact({ contactId, enteredAt }: BoardEntryRecord): BoardContactView {
  return { contactId, enteredAt };
}
