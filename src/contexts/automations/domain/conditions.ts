import type { Condition, ConditionGroup, ConditionNode } from '../automations.events';

/** A field's value for the conditions (undefined: the field has no value here). */
export type FactReader = (field: string) => unknown;

/** How one condition or group came out, as the test endpoint shows it. */
export type ConditionResult =
  | { field: string; op: string; value?: unknown; actual?: unknown; matched: boolean }
  | { all?: ConditionResult[]; any?: ConditionResult[]; matched: boolean };

/** Evaluates a group: every `all` holds and, when `any` has conditions, at least one of them does. */
export function evaluate(group: ConditionGroup, read: FactReader): ConditionResult {
  const all = group.all?.map((n) => evaluateNode(n, read));
  const any = group.any?.map((n) => evaluateNode(n, read));
  const matched = (all ?? []).every((r) => r.matched) && (!any || any.length === 0 || any.some((r) => r.matched));
  return { ...(all ? { all } : {}), ...(any ? { any } : {}), matched };
}

function evaluateNode(node: ConditionNode, read: FactReader): ConditionResult {
  if ('field' in node) {
    const actual = read(node.field);
    return {
      field: node.field,
      op: node.op,
      ...('value' in node ? { value: node.value } : {}),
      actual: actual ?? null,
      matched: holds(node, actual),
    };
  }
  return evaluate(node, read);
}

function holds({ op, value }: Condition, actual: unknown): boolean {
  switch (op) {
    case 'exists':
      return (value === false) !== present(actual);
    case 'eq':
      return same(actual, value);
    case 'ne':
      return !same(actual, value);
    case 'in':
      return Array.isArray(value) && value.some((v) => same(actual, v));
    case 'contains':
      if (Array.isArray(actual)) return actual.some((v) => same(v, value));
      return typeof actual === 'string' && actual.toLowerCase().includes(String(value).toLowerCase());
    default:
      return ordered(op, actual, value);
  }
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  return (a ?? null) === (b ?? null);
}

/** Numbers compare as numbers, strings as strings (ISO dates order correctly); anything else never matches. */
function ordered(op: 'gt' | 'gte' | 'lt' | 'lte', actual: unknown, value: unknown): boolean {
  const comparable = (typeof actual === 'number' && typeof value === 'number') || (typeof actual === 'string' && typeof value === 'string');
  if (!comparable) return false;
  const a = actual as number | string;
  const b = value as number | string;
  return op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b;
}

/** The fields the conditions read (to load only the facts needed). */
export function fieldsOf(group: ConditionGroup): string[] {
  return [...(group.all ?? []), ...(group.any ?? [])].flatMap((n) => ('field' in n ? [n.field] : fieldsOf(n)));
}
