import type { OutboxMessage } from './outbox-message';

/** What the relay reports to the metrics (implemented by the platform's Metrics; optional for the relay). */
export abstract class RelayMetrics {
  /** A tenant's share of a batch was delivered: throughput and occurrence-to-delivery lag. */
  abstract delivered(events: readonly OutboxMessage[]): void;
}
