import { isUuid } from '#kernel';
import {
  AutomationAction,
  AutomationDefinition,
  AutomationTrigger,
  CONDITION_OPERATORS,
  ConditionGroup,
  ConditionOperator,
} from '../automations.events';
import { AutomationsErrors, DefinitionProblem } from '../automations.errors';
import {
  ACTIONS,
  EVENT_TRIGGERS,
  FIELDS,
  MAX_ACTIONS,
  MAX_CONDITIONS,
  MAX_CONDITION_DEPTH,
  MAX_DELAY_MINUTES,
  ParamSchema,
  SCHEDULES_AVAILABLE,
} from './automation-catalog';
import { nextRun } from './cron-schedule';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks the parts of a definition a client sends (trigger, conditions, actions) against the catalog, collecting
 * every problem with the path of the bad element; throws `automation.invalid_definition` when there is any.
 */
export function validateDefinition(input: Pick<AutomationDefinition, 'trigger' | 'conditions' | 'actions'>): void {
  const problems: DefinitionProblem[] = [];
  const report = (field: string, message: string) => problems.push({ field, message });
  const onSchedule = validateTrigger(input.trigger, report);
  validateConditions(input.conditions, onSchedule, report);
  validateActions(input.actions, onSchedule, report);
  if (problems.length > 0) throw AutomationsErrors.invalidDefinition(problems.slice(0, 50));
}

/** Returns whether the trigger is a schedule (no event contact). */
function validateTrigger(trigger: unknown, report: (field: string, message: string) => void): boolean {
  if (!isObject(trigger)) {
    report('trigger', 'must be { event } or { schedule, timezone? }');
    return false;
  }
  const keys = Object.keys(trigger);
  if ('event' in trigger) {
    if (keys.length !== 1) report('trigger', 'an event trigger has only `event`');
    if (!EVENT_TRIGGERS.some((t) => t.trigger === trigger.event))
      report('trigger.event', `unknown trigger "${String(trigger.event)}"; see GET /automations/catalog`);
    return false;
  }
  if ('schedule' in trigger) {
    if (!SCHEDULES_AVAILABLE) {
      report('trigger.schedule', 'no action of the catalog can run on a schedule (none works without a contact)');
      return true;
    }
    const extra = keys.filter((k) => k !== 'schedule' && k !== 'timezone');
    if (extra.length > 0) report(`trigger.${extra[0]}`, 'unknown property');
    if (trigger.timezone !== undefined && typeof trigger.timezone !== 'string') report('trigger.timezone', 'must be an IANA time zone');
    else if (typeof trigger.schedule !== 'string') report('trigger.schedule', 'must be a cron expression');
    else {
      try {
        nextRun(trigger.schedule, trigger.timezone as string | undefined, new Date());
      } catch (error) {
        report('trigger.schedule', `not a valid schedule (or time zone): ${(error as Error).message}`);
      }
    }
    return true;
  }
  report('trigger', 'must have `event` or `schedule`');
  return false;
}

function validateConditions(conditions: unknown, onSchedule: boolean, report: (field: string, message: string) => void): void {
  let count = 0;
  const group = (node: Json, path: string, depth: number) => {
    if (depth > MAX_CONDITION_DEPTH) return report(path, `groups nest at most ${MAX_CONDITION_DEPTH} deep`);
    for (const key of Object.keys(node)) {
      if (key !== 'all' && key !== 'any') {
        report(`${path ? `${path}.` : ''}${key}`, 'unknown property (a group has `all` and/or `any`)');
        continue;
      }
      const list = node[key];
      if (!Array.isArray(list)) {
        report(`${path ? `${path}.` : ''}${key}`, 'must be an array of conditions or groups');
        continue;
      }
      list.forEach((child: unknown, i) => element(child, `${path ? `${path}.` : ''}${key}[${i}]`, depth));
    }
  };
  const element = (node: unknown, path: string, depth: number) => {
    if (++count > MAX_CONDITIONS) return count === MAX_CONDITIONS + 1 ? report(path, `at most ${MAX_CONDITIONS} conditions`) : undefined;
    if (!isObject(node)) return report(path, 'must be a condition { field, op, value } or a group { all, any }');
    if ('all' in node || 'any' in node) return group(node, path, depth + 1);
    condition(node, path);
  };
  const condition = (node: Json, path: string) => {
    const extra = Object.keys(node).filter((k) => k !== 'field' && k !== 'op' && k !== 'value');
    if (extra.length > 0) report(`${path}.${extra[0]}`, 'unknown property');
    const field = FIELDS.find((f) => typeof node.field === 'string' && f.pattern.test(node.field));
    if (!field) report(`${path}.field`, `unknown field "${String(node.field)}"; see GET /automations/catalog`);
    else if (field.contact && onSchedule) report(`${path}.field`, 'a scheduled automation has no contact to read');
    if (!CONDITION_OPERATORS.includes(node.op as ConditionOperator)) {
      return report(`${path}.op`, `unknown operator "${String(node.op)}"; one of ${CONDITION_OPERATORS.join(', ')}`);
    }
    const problem = valueProblem(node.op as ConditionOperator, node.value, 'value' in node);
    if (problem) report(`${path}.value`, problem);
  };
  if (conditions === undefined) return;
  if (!isObject(conditions)) return report('conditions', 'must be a group { all?, any? }');
  group(conditions, 'conditions', 0);
}

function valueProblem(op: ConditionOperator, value: unknown, given: boolean): string | undefined {
  if (op === 'exists') return given && typeof value !== 'boolean' ? 'must be a boolean (or absent)' : undefined;
  if (!given) return 'is required';
  if (op === 'in') return Array.isArray(value) && value.every(isScalar) ? undefined : 'must be an array of strings, numbers or booleans';
  if (['gt', 'gte', 'lt', 'lte'].includes(op))
    return typeof value === 'number' || typeof value === 'string' ? undefined : 'must be a number or a string';
  if (op === 'contains') return isScalar(value) ? undefined : 'must be a string, number or boolean';
  return isScalar(value) || value === null || (Array.isArray(value) && value.every(isScalar))
    ? undefined
    : 'must be a JSON scalar or an array of them';
}

const isScalar = (v: unknown) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean';

function validateActions(actions: unknown, onSchedule: boolean, report: (field: string, message: string) => void): void {
  if (!Array.isArray(actions) || actions.length === 0) return report('actions', 'must be a non-empty array');
  if (actions.length > MAX_ACTIONS) return report('actions', `at most ${MAX_ACTIONS} actions`);
  actions.forEach((action: unknown, i) => {
    const path = `actions[${i}]`;
    if (!isObject(action)) return report(path, 'must be { type, params, delayMinutes? }');
    const extra = Object.keys(action).filter((k) => k !== 'type' && k !== 'params' && k !== 'delayMinutes');
    if (extra.length > 0) report(`${path}.${extra[0]}`, 'unknown property');
    const delay = action.delayMinutes;
    if (delay !== undefined && (!Number.isInteger(delay) || (delay as number) < 0 || (delay as number) > MAX_DELAY_MINUTES))
      report(`${path}.delayMinutes`, `must be an integer from 0 to ${MAX_DELAY_MINUTES}`);
    const entry = ACTIONS.find((a) => a.type === action.type);
    if (!entry) return report(`${path}.type`, `unknown action "${String(action.type)}"; see GET /automations/catalog`);
    if (entry.contact && onSchedule) report(`${path}.type`, 'a scheduled automation has no contact to act on');
    const params = action.params ?? {};
    if (!isObject(params)) return report(`${path}.params`, 'must be an object');
    for (const key of Object.keys(params)) if (!(key in entry.params.properties)) report(`${path}.params.${key}`, 'unknown parameter');
    for (const key of entry.params.required) if (!(key in params)) report(`${path}.params.${key}`, 'is required');
    for (const [key, schema] of Object.entries(entry.params.properties)) {
      const problem = key in params ? paramProblem(schema, params[key]) : undefined;
      if (problem) report(`${path}.params.${key}`, problem);
    }
  });
}

function paramProblem(schema: ParamSchema, value: unknown): string | undefined {
  if (schema.type === undefined) return value === undefined ? 'is required' : undefined;
  if (schema.type === 'boolean') return typeof value === 'boolean' ? undefined : 'must be a boolean';
  if (typeof value !== 'string') return 'must be a string';
  if (schema.format === 'uuid' && !isUuid(value)) return 'must be a UUID';
  if (schema.minLength !== undefined && value.trim().length < schema.minLength) return `must have at least ${schema.minLength} characters`;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return `must have at most ${schema.maxLength} characters`;
  return undefined;
}

/** The definition's parts as stored: validated, with defaults (no conditions = an empty group, params = {}). */
export function normalizeDefinition(input: {
  trigger: unknown;
  conditions?: unknown;
  actions: unknown;
}): Pick<AutomationDefinition, 'trigger' | 'conditions' | 'actions'> {
  const draft = input as { trigger: AutomationTrigger; conditions?: ConditionGroup; actions: AutomationAction[] };
  validateDefinition({ trigger: draft.trigger, conditions: draft.conditions ?? {}, actions: draft.actions });
  return {
    trigger: draft.trigger,
    conditions: draft.conditions ?? {},
    actions: draft.actions.map((a) => ({
      type: a.type,
      params: a.params ?? {},
      ...(a.delayMinutes ? { delayMinutes: a.delayMinutes } : {}),
    })),
  };
}
