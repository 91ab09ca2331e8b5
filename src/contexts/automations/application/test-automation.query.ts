import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AutomationsErrors } from '../automations.errors';
import { AUTOMATION_REPOSITORY, AutomationRepository } from '../domain/automations.repositories';
import { ConditionResult, evaluate } from '../domain/conditions';
import { AutomationActions } from './automation-actions';
import { EventFacts } from './event-facts';

/** A sample event to try an automation on: its type, payload and contact. */
export interface SampleEvent {
  type: string;
  data?: Record<string, unknown>;
  contactId?: string;
}

export interface AutomationTestResult {
  /** Whether the event's type is the automation's trigger (a dry run evaluates the conditions either way). */
  triggerMatched: boolean;
  /** Whether the conditions hold. */
  conditionsMatched: boolean;
  /** Whether it would run: enabled, triggered and its conditions hold. */
  wouldRun: boolean;
  conditions: ConditionResult;
  actions: { index: number; type: string; params: Record<string, unknown>; delayMinutes: number; wouldDo: string }[];
}

export class TestAutomationQuery extends Query<AutomationTestResult> {
  constructor(
    readonly projectId: string,
    readonly id: string,
    readonly event: SampleEvent,
  ) {
    super();
  }
}

/** A dry run: evaluates the conditions on the sample event and the contact as it is now; changes nothing. */
@QueryHandler(TestAutomationQuery)
export class TestAutomationHandler implements IQueryHandler<TestAutomationQuery> {
  constructor(
    @Inject(AUTOMATION_REPOSITORY) private readonly automations: AutomationRepository,
    private readonly facts: EventFacts,
    private readonly actions: AutomationActions,
  ) {}

  async execute({ projectId, id, event }: TestAutomationQuery): Promise<AutomationTestResult> {
    const automation = await this.automations.findById(projectId, id);
    if (!automation) throw AutomationsErrors.notFound(id);
    const { trigger, conditions, actions, enabled } = automation.definition;
    const sample = {
      eventId: 'test',
      type: event.type,
      projectId,
      occurredAt: new Date(),
      data: event.data ?? {},
      contactId: event.contactId ?? null,
      metadata: {},
    };
    const result = evaluate(conditions, await this.facts.load(conditions, sample));
    const triggerMatched = 'event' in trigger ? trigger.event === event.type : event.type === 'schedule';
    return {
      triggerMatched,
      conditionsMatched: result.matched,
      wouldRun: enabled && triggerMatched && result.matched,
      conditions: result,
      actions: actions.map((a, index) => ({
        index,
        type: a.type,
        params: a.params,
        delayMinutes: a.delayMinutes ?? 0,
        wouldDo: this.actions.describe(a, sample.contactId),
      })),
    };
  }
}
