import type { EventOf } from '#kernel';

/*
 * The events the automations context publishes, and the shape of an automation's definition (the same in the API,
 * the table and the events).
 */

/** What starts an automation: a domain event of its project, or a cron schedule (5 fields, in `timezone`, UTC by default). */
export type AutomationTrigger = { event: string } | { schedule: string; timezone?: string };

export const CONDITION_OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'in', 'exists'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** `field op value`, over the event and the current contact (see the catalog for the fields). */
export interface Condition {
  field: string;
  op: ConditionOperator;
  value?: unknown;
}

/** Every condition of `all` and at least one of `any` (each absent or empty = no constraint); groups nest. */
export interface ConditionGroup {
  all?: ConditionNode[];
  any?: ConditionNode[];
}
export type ConditionNode = Condition | ConditionGroup;

/** One step: its type (see the catalog), its parameters, and an optional delay. */
export interface AutomationAction {
  type: string;
  params: Record<string, unknown>;
  delayMinutes?: number;
}

export interface AutomationDefinition {
  name: string;
  description: string | null;
  enabled: boolean;
  /** Higher runs first among the automations one event triggers. */
  priority: number;
  trigger: AutomationTrigger;
  conditions: ConditionGroup;
  actions: AutomationAction[];
}

/** `automation.created` (v1): the whole definition. */
export type AutomationCreated = AutomationDefinition;
/** `automation.updated` (v1): the changed parts of the definition, with their new values. */
export interface AutomationUpdated {
  changes: Partial<AutomationDefinition>;
}
/** `automation.deleted` (v1): soft-deleted; it runs no more. */
export type AutomationDeleted = Record<string, never>;
/** `automation.restored` (v1). */
export type AutomationRestored = Record<string, never>;

export type AutomationEvents = {
  'automation.created': AutomationCreated;
  'automation.updated': AutomationUpdated;
  'automation.deleted': AutomationDeleted;
  'automation.restored': AutomationRestored;
};
export type AutomationsEventType = keyof AutomationEvents;

export const AUTOMATIONS_EVENT_VERSIONS: { readonly [K in AutomationsEventType]: number } = {
  'automation.created': 1,
  'automation.updated': 1,
  'automation.deleted': 1,
  'automation.restored': 1,
};

export type AutomationsDomainEvent = EventOf<AutomationEvents>;
