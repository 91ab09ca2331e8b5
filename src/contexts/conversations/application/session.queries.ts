import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { ConversationsErrors } from '../conversations.errors';
import { SESSION_READ_MODEL, SessionFilter, SessionReadModel, SessionView } from './session.ports';

export class ListSessionsQuery extends Query<Page<SessionView>> {
  constructor(
    readonly projectId: string,
    readonly filter: SessionFilter,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

@QueryHandler(ListSessionsQuery)
export class ListSessionsHandler implements IQueryHandler<ListSessionsQuery> {
  constructor(@Inject(SESSION_READ_MODEL) private readonly reads: SessionReadModel) {}

  async execute({ projectId, filter, limit, cursor }: ListSessionsQuery): Promise<Page<SessionView>> {
    return toPage(await this.reads.listSessions(projectId, filter, limit + 1, decodeCursor(cursor)), limit, (s) => s);
  }
}

export class GetSessionQuery extends Query<SessionView> {
  constructor(
    readonly projectId: string,
    readonly id: string,
  ) {
    super();
  }
}

@QueryHandler(GetSessionQuery)
export class GetSessionHandler implements IQueryHandler<GetSessionQuery> {
  constructor(@Inject(SESSION_READ_MODEL) private readonly reads: SessionReadModel) {}

  async execute({ projectId, id }: GetSessionQuery): Promise<SessionView> {
    const session = await this.reads.getSession(projectId, id);
    if (!session) throw ConversationsErrors.notFound('session', id);
    return session;
  }
}
