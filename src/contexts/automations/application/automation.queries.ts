import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { AutomationsErrors } from '../automations.errors';
import { AUTOMATION_READ_MODEL, AutomationReadModel, AutomationView, ExecutionView } from './automations.ports';

export class ListAutomationsQuery extends Query<Page<AutomationView>> {
  constructor(
    readonly projectId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/** Live automations, oldest first, keyset-paginated on the time-ordered id. */
@QueryHandler(ListAutomationsQuery)
export class ListAutomationsHandler implements IQueryHandler<ListAutomationsQuery> {
  constructor(@Inject(AUTOMATION_READ_MODEL) private readonly automations: AutomationReadModel) {}

  async execute({ projectId, limit, cursor }: ListAutomationsQuery): Promise<Page<AutomationView>> {
    return toPage(await this.automations.list(projectId, limit + 1, decodeCursor(cursor)), limit, (a) => a);
  }
}

export class GetAutomationQuery extends Query<AutomationView> {
  constructor(
    readonly projectId: string,
    readonly id: string,
  ) {
    super();
  }
}

@QueryHandler(GetAutomationQuery)
export class GetAutomationHandler implements IQueryHandler<GetAutomationQuery> {
  constructor(@Inject(AUTOMATION_READ_MODEL) private readonly automations: AutomationReadModel) {}

  async execute({ projectId, id }: GetAutomationQuery): Promise<AutomationView> {
    const automation = await this.automations.get(projectId, id);
    if (!automation) throw AutomationsErrors.notFound(id);
    return automation;
  }
}

export class ListExecutionsQuery extends Query<Page<ExecutionView>> {
  constructor(
    readonly projectId: string,
    readonly automationId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/** The runs of an automation (also of a deleted one), newest first. */
@QueryHandler(ListExecutionsQuery)
export class ListExecutionsHandler implements IQueryHandler<ListExecutionsQuery> {
  constructor(@Inject(AUTOMATION_READ_MODEL) private readonly automations: AutomationReadModel) {}

  async execute({ projectId, automationId, limit, cursor }: ListExecutionsQuery): Promise<Page<ExecutionView>> {
    if (!(await this.automations.get(projectId, automationId, { withDeleted: true }))) throw AutomationsErrors.notFound(automationId);
    return toPage(await this.automations.executions(projectId, automationId, limit + 1, decodeCursor(cursor)), limit, (e) => e);
  }
}
