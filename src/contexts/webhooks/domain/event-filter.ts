import { WebhooksErrors } from '../webhooks.errors';

const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
const PREFIX_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.\*$/;
export const MAX_EVENT_PATTERNS = 50;

/** Trimmed, deduplicated patterns in the order given; throws on an empty list or an invalid pattern. */
export function validEventPatterns(patterns: readonly string[]): string[] {
  const valid = [...new Set(patterns.map((p) => p.trim()))];
  if (valid.length === 0) throw WebhooksErrors.eventsRequired();
  for (const pattern of valid) {
    if (pattern !== '*' && !EVENT_TYPE.test(pattern) && !PREFIX_PATTERN.test(pattern)) throw WebhooksErrors.invalidEventPattern(pattern);
  }
  return valid;
}

/** `*` matches every event, `contact.*` every type under `contact.`, anything else only itself. */
export function matchesEvent(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || (p.endsWith('.*') ? type.startsWith(p.slice(0, -1)) : p === type));
}
