import { DomainEvent } from './domain-event';

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

  protected record(event: DomainEvent): void {
    this.pending.push(event);
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
