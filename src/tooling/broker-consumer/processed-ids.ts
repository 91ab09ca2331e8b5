/**
 * The event ids an external consumer has handled: a redelivered or republished event is recognised by its id and
 * skipped. In memory, bounded (the oldest are forgotten first), which covers redeliveries within a run; a real
 * consumer keeps them in its own database, written in the same transaction as its effect.
 */
export class ProcessedIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 100_000) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.add(id);
    // A Set iterates in insertion order: the first is the oldest.
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
  }
}

/** What an example consumer does with an event it sees for the first time; throwing has it redelivered. */
export type EventHandler<E, D> = (event: E, delivery: D) => Promise<void> | void;

export interface ExternalConsumer {
  /** Events skipped because their id was already handled. */
  readonly duplicates: number;
  /** The last failure of the handler (the event was redelivered), if any. */
  readonly lastError: Error | undefined;
  close(): Promise<void>;
}
