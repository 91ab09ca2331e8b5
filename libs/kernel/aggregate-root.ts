import { DomainEvent } from './domain-event';
import { newId } from './ids';

/** Event type -> payload type: what an aggregate may emit. The default lets any type carry any object. */
export type EventPayloads = object;

/** A domain event of one of the types of `M`, its payload typed by its `type`. */
export type EventOf<M extends EventPayloads, K extends keyof M = keyof M> = K extends string
  ? DomainEvent<M[K] & object> & { readonly type: K }
  : never;

/**
 * Base of every aggregate. `version` is the version stored in the database (0 before the first save); a save is
 * a compare-and-swap from `version` to `version + 1`, so every event of one unit of work carries `version + 1`.
 * `M` maps the event types the aggregate emits to their payloads (a context's published contract).
 */
export abstract class AggregateRoot<M extends EventPayloads = Record<string, object>> {
  private pending: EventOf<M>[] = [];

  protected constructor(
    readonly id: string,
    private storedVersion: number,
  ) {}

  get version(): number {
    return this.storedVersion;
  }

  get isNew(): boolean {
    return this.storedVersion === 0;
  }

  get hasChanges(): boolean {
    return this.pending.length > 0;
  }

  /** The version this aggregate will have once the pending change is saved. */
  protected get nextVersion(): number {
    return this.storedVersion + 1;
  }

  /** `contact`, `project`, ...: the prefix of its event types and the outbox's aggregate_type. */
  protected abstract readonly aggregateType: string;

  /** The tenant (and project) its events belong to. */
  protected abstract get scope(): { tenantId: string; projectId: string | null };

  /** The schema version of an event type's payload (1 unless the aggregate publishes another). */
  protected eventVersionOf(_type: keyof M & string): number {
    return 1;
  }

  /** Records an event of the pending change, at the version the save will give the aggregate. */
  protected emit<K extends keyof M & string>(type: K, payload: M[K] & object): EventOf<M, K> {
    const event = domainEvent({
      type,
      eventVersion: this.eventVersionOf(type),
      aggregateType: this.aggregateType,
      aggregateId: this.id,
      aggregateVersion: this.nextVersion,
      ...this.scope,
      payload,
    }) as EventOf<M, K>;
    this.pending.push(event);
    return event;
  }

  /** Called by the repository after a successful save: hands over the events and moves to the new version. */
  commit(): EventOf<M>[] {
    const events = this.pending;
    this.pending = [];
    this.storedVersion += 1;
    return events;
  }

  peekEvents(): readonly EventOf<M>[] {
    return this.pending;
  }
}

function domainEvent<P extends object>(
  fields: Omit<DomainEvent<P>, 'eventId' | 'occurredAt' | 'eventVersion'> & { eventVersion?: number },
): DomainEvent<P> {
  return { eventId: newId(), occurredAt: new Date(), eventVersion: 1, ...fields };
}
