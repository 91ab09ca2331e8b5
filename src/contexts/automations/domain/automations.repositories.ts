import type { ExpectedVersion } from '#kernel';
import type { Automation } from './automation';
import type { ActionOutcome, AutomationExecution } from './automation-execution';

/** Port: automations of the current tenant (RLS hides every other tenant). */
export interface AutomationRepository {
  findById(projectId: string, id: string, options?: { withDeleted?: boolean }): Promise<Automation | null>;
  /** The enabled live automations of the project triggered by these event types, highest priority first. */
  triggeredBy(projectId: string, eventTypes: readonly string[]): Promise<Automation[]>;
  save(automation: Automation, expected?: ExpectedVersion): Promise<void>;
}

/** Port: the run log. */
export interface ExecutionRepository {
  /** Records a run (once per automation and event: the consumer's processed_events guarantee it, a unique key enforces it). */
  insert(execution: AutomationExecution): Promise<void>;
  /** Records the outcome of a delayed action (the run's status follows). */
  settleAction(executionId: string, outcome: ActionOutcome): Promise<void>;
}

export const AUTOMATION_REPOSITORY = Symbol('AutomationRepository');
export const EXECUTION_REPOSITORY = Symbol('ExecutionRepository');
