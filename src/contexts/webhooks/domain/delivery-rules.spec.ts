import { matchesEvent, validEventPatterns } from './event-filter';
import { nextRetryDelayMs } from './retry-schedule';

describe('event patterns', () => {
  it('matches exact types, prefix patterns and *', () => {
    expect(matchesEvent(['contact.*'], 'contact.created')).toBe(true);
    expect(matchesEvent(['contact.*'], 'contact.pipeline_status_changed')).toBe(true);
    expect(matchesEvent(['contact.*'], 'contacts.created')).toBe(false);
    expect(matchesEvent(['message.received'], 'message.received')).toBe(true);
    expect(matchesEvent(['message.received'], 'message.received_late')).toBe(false);
    expect(matchesEvent(['*'], 'session.ended')).toBe(true);
    expect(matchesEvent(['note.*', 'session.started'], 'session.ended')).toBe(false);
  });

  it('trims and deduplicates, and refuses what is no event type or pattern', () => {
    expect(validEventPatterns([' contact.* ', 'contact.*', '*'])).toEqual(['contact.*', '*']);
    for (const bad of ['contact', 'contact.', 'Contact.created', 'contact.**', '*.created', 'a b.c'])
      expect(() => validEventPatterns([bad])).toThrow(expect.objectContaining({ code: 'webhook_subscription.invalid_event_pattern' }));
    expect(() => validEventPatterns([])).toThrow(expect.objectContaining({ code: 'webhook_subscription.events_required' }));
  });
});

describe('retry schedule', () => {
  const policy = { maxAttempts: 18, baseMs: 5000, maxMs: 6 * 3600_000 };
  const middle = () => 0.5;

  it('doubles from the base per failed attempt, capped, until the attempts run out', () => {
    expect([1, 2, 3, 4].map((n) => nextRetryDelayMs(policy, n, undefined, middle))).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(nextRetryDelayMs(policy, 16, undefined, middle)).toBe(policy.maxMs);
    expect(nextRetryDelayMs(policy, 18)).toBeUndefined();
    let total = 0;
    for (let n = 1; n < policy.maxAttempts; n += 1) total += nextRetryDelayMs(policy, n, undefined, middle)!;
    // Hours of retries, not minutes.
    expect(total / 3600_000).toBeGreaterThan(24);
  });

  it('spreads each delay by ±20 % and honours a longer Retry-After', () => {
    expect(nextRetryDelayMs(policy, 1, undefined, () => 0)).toBe(4000);
    expect(nextRetryDelayMs(policy, 1, undefined, () => 1)).toBe(6000);
    expect(nextRetryDelayMs(policy, 1, 60_000, middle)).toBe(60_000);
    expect(nextRetryDelayMs(policy, 1, 1000, middle)).toBe(5000);
  });
});
