import { Inject } from '@nestjs/common';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { RequestContext } from '#tenancy';
import { TimerFiredData, timerEventType } from '#timers/timer-spec';
import { AUTOMATION_REPOSITORY, AutomationRepository, EXECUTION_REPOSITORY, ExecutionRepository } from '../domain/automations.repositories';
import { AutomationRunner, DELAYED_ACTION, DelayedActionPayload } from './automation-runner';
import { AutomationSchedules, SCHEDULED_RUN, ScheduledRunPayload } from './automation-schedules';

/**
 * The automations' durable timers: a delayed action runs when its timer fires (unless its automation was deleted
 * meanwhile) and its outcome joins its run's record; a scheduled automation runs and sets its next timer.
 */
@Consumer()
export class AutomationTimersConsumer implements OutboxConsumer {
  readonly name = 'automations.timers';
  readonly eventTypes = [timerEventType(DELAYED_ACTION), timerEventType(SCHEDULED_RUN)];

  constructor(
    @Inject(AUTOMATION_REPOSITORY) private readonly automations: AutomationRepository,
    @Inject(EXECUTION_REPOSITORY) private readonly executions: ExecutionRepository,
    private readonly runner: AutomationRunner,
    private readonly schedules: AutomationSchedules,
    private readonly context: RequestContext,
  ) {}

  async handle(batch: readonly OutboxMessage[]): Promise<void> {
    for (const message of batch) {
      if (!message.projectId) continue;
      const fired = message.data as unknown as TimerFiredData;
      if (message.type === timerEventType(DELAYED_ACTION))
        await this.runDelayed(message, message.projectId, fired.payload as unknown as DelayedActionPayload);
      else await this.runScheduled(message, message.projectId, fired.payload as unknown as ScheduledRunPayload);
    }
  }

  private async runDelayed(message: OutboxMessage, projectId: string, payload: DelayedActionPayload): Promise<void> {
    const automation = await this.automations.findById(projectId, payload.automationId);
    const { index, action } = payload;
    if (!automation) {
      const outcome = {
        index,
        type: action.type,
        status: 'skipped' as const,
        at: new Date().toISOString(),
        error: 'the automation was deleted',
      };
      await this.executions.settleAction(payload.executionId, outcome);
      return;
    }
    const event = { ...payload.event, projectId, occurredAt: new Date(payload.event.occurredAt), metadata: message.metadata };
    // The timer's event carries the original event's causation; what the action writes is caused by the timer.
    const outcome = await this.context.causedBy(message, () => this.runner.perform(index, action, event));
    await this.executions.settleAction(payload.executionId, outcome);
  }

  private async runScheduled(message: OutboxMessage, projectId: string, payload: ScheduledRunPayload): Promise<void> {
    const automation = await this.automations.findById(projectId, payload.automationId);
    // A change since moved (or dropped) the timer; this fire belongs to a version that no longer exists.
    if (!automation?.isScheduled || automation.version !== payload.version) return;
    const fired = message.data as unknown as TimerFiredData;
    await this.runner.run(automation, {
      eventId: message.eventId,
      type: 'schedule',
      projectId,
      occurredAt: message.occurredAt,
      data: { scheduledFor: fired.dueAt },
      contactId: null,
      metadata: message.metadata,
    });
    await this.schedules.sync(automation);
  }
}
