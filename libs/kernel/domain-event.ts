/**
 * Something that happened to an aggregate; written to the outbox in the transaction that changed it. Only
 * `AggregateRoot.emit` makes one: contexts raise events through their aggregates, never by hand.
 */
export interface DomainEvent<P extends object = object> {
  readonly eventId: string;
  /** `aggregate.action`, e.g. `contact.created`. */
  readonly type: string;
  readonly eventVersion: number;
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** The aggregate's version after this event: its position in the aggregate's own stream. */
  readonly aggregateVersion: number;
  readonly tenantId: string;
  readonly projectId: string | null;
  readonly occurredAt: Date;
  readonly payload: P;
}

/**
 * Where an event came from, stored with it in the outbox: the request or chain it belongs to (`correlationId`),
 * the event whose handling raised it (`causationId`), how many such hops separate it from the request that started
 * the chain (`causationDepth`, absent for a request's own events), and the acting user.
 */
export interface EventMetadata {
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly causationDepth?: number;
  readonly actorId?: string;
}
