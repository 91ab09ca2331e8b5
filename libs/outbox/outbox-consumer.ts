import { Injectable, SetMetadata, applyDecorators } from '@nestjs/common';
import { OutboxMessage } from './outbox-message';

export const OUTBOX_CONSUMER = 'crm:outbox-consumer';

/**
 * An idempotent consumer of outbox events. The relay calls `handle` inside one transaction of the events' tenant
 * (RLS applies) after recording `(event_id, name)` in `processed_events`, so a redelivered event is never handled
 * twice and a failure rolls back both. Events arrive in sequence order per aggregate. Exactly-once holds for
 * effects in this database; an effect elsewhere (an HTTP call) may repeat after a crash and should carry the
 * event id as its own idempotency key.
 */
export interface OutboxConsumer {
  /** Stable name: the key of this consumer in `processed_events`. Renaming it replays every event. */
  readonly name: string;
  /** Event types handled: exact (`contact.created`), a prefix pattern (`contact.*`) or every event (`*`). */
  readonly eventTypes: readonly string[];
  /** Handles a batch of not-yet-processed events; use `TransactionRunner.manager` for database work. */
  handle(events: readonly OutboxMessage[]): Promise<void>;
}

/** Marks a provider as an outbox consumer, discovered by the relay at start-up. */
export const Consumer = () => applyDecorators(Injectable(), SetMetadata(OUTBOX_CONSUMER, true));

export function consumes(consumer: OutboxConsumer, type: string): boolean {
  return consumer.eventTypes.some((pattern) =>
    pattern === '*' ? true : pattern.endsWith('.*') ? type.startsWith(pattern.slice(0, -1)) : pattern === type,
  );
}
