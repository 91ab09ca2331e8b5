import type { AutomationDefinition } from '../automations.events';
import type { AutomationExecution } from '../domain/automation-execution';

export type AutomationView = AutomationDefinition & {
  id: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
};

export type ExecutionView = Omit<AutomationExecution, 'tenantId' | 'projectId'> & { createdAt: Date; updatedAt: Date };

/** Port: the automations and runs of the current tenant, as the API shows them. */
export interface AutomationReadModel {
  /** Live automations, oldest first, after the cursor id. */
  list(projectId: string, take: number, after?: string): Promise<AutomationView[]>;
  get(projectId: string, id: string, options?: { withDeleted?: boolean }): Promise<AutomationView | null>;
  /** Runs of one automation, newest first, before the cursor id. */
  executions(projectId: string, automationId: string, take: number, before?: string): Promise<ExecutionView[]>;
}

export const AUTOMATION_READ_MODEL = Symbol('AutomationReadModel');
