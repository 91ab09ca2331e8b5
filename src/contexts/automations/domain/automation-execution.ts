/** What became of one action of a run. */
export interface ActionOutcome {
  index: number;
  type: string;
  status: 'done' | 'failed' | 'scheduled' | 'skipped';
  /** When a delayed action is due (ISO 8601). */
  dueAt?: string;
  /** When it ran (ISO 8601). */
  at?: string;
  /** What it did (e.g. the created note's id), when the port says. */
  result?: Record<string, string>;
  error?: string;
}

export type ExecutionStatus = 'succeeded' | 'failed' | 'depth_exceeded';

/** One run of an automation for one event: append-only but for its delayed actions' outcomes. */
export interface AutomationExecution {
  id: string;
  tenantId: string;
  projectId: string;
  automationId: string;
  eventId: string;
  eventType: string;
  contactId: string | null;
  /** The causation depth of the triggering event (how many automation hops led to it). */
  depth: number;
  status: ExecutionStatus;
  actions: ActionOutcome[];
  error: string | null;
}

/** `failed` as soon as one action failed; delayed actions still pending do not make it fail. */
export function statusOf(actions: readonly ActionOutcome[]): ExecutionStatus {
  return actions.some((a) => a.status === 'failed') ? 'failed' : 'succeeded';
}
