import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { DomainError, newId } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { RequestContext } from '#tenancy';
import { TimerScheduler } from '#timers/timer-scheduler';
import { AutomationAction } from '../automations.events';
import { Automation } from '../domain/automation';
import { ActionOutcome, AutomationExecution, statusOf } from '../domain/automation-execution';
import { EXECUTION_REPOSITORY, ExecutionRepository } from '../domain/automations.repositories';
import { evaluate } from '../domain/conditions';
import { AutomationActions } from './automation-actions';
import { ContactMemo, EventFacts, forgetContact } from './event-facts';
import { TriggerEvent } from './trigger-event';

/** The durable timer of a delayed action: fires `timer.automation.action` with a DelayedActionPayload. */
export const DELAYED_ACTION = 'automation.action';

export interface DelayedActionPayload {
  executionId: string;
  automationId: string;
  index: number;
  action: AutomationAction;
  event: { eventId: string; type: string; occurredAt: string; data: Record<string, unknown>; contactId: string | null };
}

/**
 * Runs one automation for one event, inside the caller's transaction (an outbox delivery): evaluates its
 * conditions; when they hold, performs its immediate actions (each under a savepoint: a refused action is
 * recorded as failed and the others still run), schedules its delayed ones on durable timers, and records the
 * run. Everything the actions write carries the event as its cause. A chain of automations deeper than
 * AUTOMATION_MAX_DEPTH is not run: its run is recorded as `depth_exceeded`.
 */
@Injectable()
export class AutomationRunner {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
    private readonly timers: TimerScheduler,
    private readonly facts: EventFacts,
    private readonly actions: AutomationActions,
    @Inject(EXECUTION_REPOSITORY) private readonly executions: ExecutionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Returns whether the conditions held (and so the automation ran, or was stopped by the depth limit). `memo`
   * carries the event's contact from one automation to the next.
   */
  async run(automation: Automation, event: TriggerEvent, memo: ContactMemo = {}): Promise<boolean> {
    const { conditions, actions } = automation.definition;
    if (!evaluate(conditions, await this.facts.load(conditions, event, memo)).matched) return false;
    const depth = event.metadata.causationDepth ?? 0;
    const execution: AutomationExecution = {
      id: newId(),
      tenantId: automation.snapshot.tenantId,
      projectId: event.projectId,
      automationId: automation.id,
      eventId: event.eventId,
      eventType: event.type,
      contactId: event.contactId,
      depth,
      status: 'succeeded',
      actions: [],
      error: null,
    };
    if (depth >= this.config.automations.maxDepth) {
      execution.status = 'depth_exceeded';
      execution.error = `the chain of automations reached AUTOMATION_MAX_DEPTH (${this.config.automations.maxDepth}); nothing was done`;
      execution.actions = actions.map((a, index) => ({ index, type: a.type, status: 'skipped' }));
    } else {
      execution.actions = await this.context.causedBy(event, async () => {
        const outcomes: ActionOutcome[] = [];
        for (const [index, action] of actions.entries())
          outcomes.push(action.delayMinutes ? await this.delay(execution, index, action, event) : await this.perform(index, action, event));
        return outcomes;
      });
      forgetContact(memo);
      execution.status = statusOf(execution.actions);
      execution.error = execution.actions.find((a) => a.error)?.error ?? null;
    }
    await this.executions.insert(execution);
    return true;
  }

  /** Runs one action now under a savepoint; a domain refusal (a missing contact, a bad value) is its outcome. */
  async perform(index: number, action: AutomationAction, event: TriggerEvent): Promise<ActionOutcome> {
    const em = this.tx.manager;
    await em.query('SAVEPOINT automation_action');
    try {
      const { result, skipped } = await this.actions.perform(action, event);
      await em.query('RELEASE SAVEPOINT automation_action');
      const at = new Date().toISOString();
      if (skipped) return { index, type: action.type, status: 'skipped', at, error: skipped };
      return { index, type: action.type, status: 'done', at, ...(result ? { result } : {}) };
    } catch (error) {
      await em.query('ROLLBACK TO SAVEPOINT automation_action');
      // Anything else (the database away, a bug) fails the delivery, which the outbox retries.
      if (!(error instanceof DomainError)) throw error;
      return { index, type: action.type, status: 'failed', at: new Date().toISOString(), error: `${error.code}: ${error.message}` };
    }
  }

  private async delay(
    execution: AutomationExecution,
    index: number,
    action: AutomationAction,
    event: TriggerEvent,
  ): Promise<ActionOutcome> {
    const dueAt = new Date(Date.now() + action.delayMinutes! * 60_000);
    const payload: DelayedActionPayload = {
      executionId: execution.id,
      automationId: execution.automationId,
      index,
      action,
      event: {
        eventId: event.eventId,
        type: event.type,
        occurredAt: event.occurredAt.toISOString(),
        data: event.data,
        contactId: event.contactId,
      },
    };
    await this.timers.schedule({
      kind: DELAYED_ACTION,
      key: `${execution.id}:${index}`,
      dueAt,
      projectId: event.projectId,
      payload: payload as unknown as Record<string, unknown>,
    });
    return { index, type: action.type, status: 'scheduled', dueAt: dueAt.toISOString() };
  }
}
