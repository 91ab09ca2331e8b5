import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { ConversationsErrors } from '../conversations.errors';
import { AGENT_READ_MODEL, AgentFilter, AgentReadModel, AgentView } from './agent.ports';

export class ListAgentsQuery extends Query<Page<AgentView>> {
  constructor(
    readonly projectId: string,
    readonly filter: AgentFilter,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

@QueryHandler(ListAgentsQuery)
export class ListAgentsHandler implements IQueryHandler<ListAgentsQuery> {
  constructor(@Inject(AGENT_READ_MODEL) private readonly reads: AgentReadModel) {}

  async execute({ projectId, filter, limit, cursor }: ListAgentsQuery): Promise<Page<AgentView>> {
    return toPage(await this.reads.listAgents(projectId, filter, limit + 1, decodeCursor(cursor)), limit, (a) => a);
  }
}

export class GetAgentQuery extends Query<AgentView> {
  constructor(
    readonly projectId: string,
    readonly id: string,
  ) {
    super();
  }
}

@QueryHandler(GetAgentQuery)
export class GetAgentHandler implements IQueryHandler<GetAgentQuery> {
  constructor(@Inject(AGENT_READ_MODEL) private readonly reads: AgentReadModel) {}

  async execute({ projectId, id }: GetAgentQuery): Promise<AgentView> {
    const agent = await this.reads.getAgent(projectId, id);
    if (!agent) throw ConversationsErrors.notFound('agent', id);
    return agent;
  }
}
