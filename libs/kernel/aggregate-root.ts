import { DomainEvent, domainEvent } from './domain-event';

/**
 * Base of every aggregate. `version` is the version stored in the database (0 before the first save); a save is
 * a compare-and-swap from `version` to `version + 1`, so every event of one unit of work carries `version + 1`.
 */
export abstract class AggregateRoot {
  private pending: DomainEvent[] = [];

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

  /** Records an event of the pending change, at the version the save will give the aggregate. */
  protected emit(type: string, payload: object): DomainEvent {
    const event = domainEvent({
      type,
      aggregateType: this.aggregateType,
      aggregateId: this.id,
      aggregateVersion: this.nextVersion,
      ...this.scope,
      payload,
    });
    this.pending.push(event);
    return event;
  }

  /** Called by the repository after a successful save: hands over the events and moves to the new version. */
  commit(): DomainEvent[] {
    const events = this.pending;
    this.pending = [];
    this.storedVersion += 1;
    return events;
  }

  peekEvents(): readonly DomainEvent[] {
    return this.pending;
  }
}
