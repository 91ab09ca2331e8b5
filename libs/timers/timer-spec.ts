/** What a context asks for: fire `timer.<kind>` with `payload` at `dueAt`, once per (kind, key). */
export interface TimerRequest {
  /** Dotted lower-case name, e.g. `session.inactivity`; the event type is `timer.<kind>`. */
  readonly kind: string;
  /** Identifies the timer within its kind (e.g. the session id): scheduling the same key again reschedules it. */
  readonly key: string;
  readonly dueAt: Date;
  /** Handed to the consumer as `data.payload`; JSON only. */
  readonly payload?: Record<string, unknown>;
  /** The project the event belongs to (`projectId` of the delivered message). */
  readonly projectId?: string | null;
}

/** The data of a `timer.<kind>` outbox event. */
export interface TimerFiredData {
  readonly kind: string;
  readonly key: string;
  /** When it was due (ISO 8601); it fires at the first poll after that. */
  readonly dueAt: string;
  readonly payload: Record<string, unknown>;
}

/** The same rules as the table's CHECK constraints, so a bad call fails with a message instead of a SQL error. */
const KIND = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
export const MAX_KIND_LENGTH = 100;
export const MAX_KEY_LENGTH = 200;

/** Programming errors (a bad kind, key or date), not user input: they throw. */
export function validateTimerRequest(request: Pick<TimerRequest, 'kind' | 'key'> & { dueAt?: Date }): void {
  if (!KIND.test(request.kind) || request.kind.length > MAX_KIND_LENGTH)
    throw new TypeError(`timer kind must be dotted lower-case words of at most ${MAX_KIND_LENGTH} characters (got "${request.kind}")`);
  if (request.key.length === 0 || request.key.length > MAX_KEY_LENGTH)
    throw new TypeError(`timer key must be 1 to ${MAX_KEY_LENGTH} characters (got ${request.key.length})`);
  if ('dueAt' in request && !(request.dueAt instanceof Date && Number.isFinite(request.dueAt.getTime())))
    throw new TypeError(`timer dueAt must be a valid Date`);
}

/** The outbox event type a timer of `kind` fires, for a consumer's `eventTypes`. */
export function timerEventType(kind: string): string {
  return `timer.${kind}`;
}
