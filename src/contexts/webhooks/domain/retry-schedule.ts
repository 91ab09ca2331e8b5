/** The retry policy of a delivery: how many attempts, and how long after a failed one the next is due. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * The delay before attempt `attempts + 1`: exponential (base doubling per failed attempt, capped), spread by
 * ±20 % of random jitter so a receiver that failed many deliveries at once does not get them back at once.
 * A receiver's `Retry-After` is honoured when it asks for longer (up to the cap). Undefined: give up.
 */
export function nextRetryDelayMs(policy: RetryPolicy, attempts: number, retryAfterMs?: number, random = Math.random): number | undefined {
  if (attempts >= policy.maxAttempts) return undefined;
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempts - 1, 40));
  const jittered = exponential * (0.8 + 0.4 * random());
  return Math.round(Math.min(policy.maxMs, Math.max(jittered, retryAfterMs ?? 0)));
}
