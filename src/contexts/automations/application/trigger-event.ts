import type { EventMetadata } from '#kernel';
import type { OutboxMessage } from '#outbox/outbox-message';

/** The event an automation runs for, as its conditions and actions see it. */
export interface TriggerEvent {
  readonly eventId: string;
  readonly type: string;
  readonly projectId: string;
  readonly occurredAt: Date;
  readonly data: Record<string, unknown>;
  /** The contact the event concerns, if any. */
  readonly contactId: string | null;
  readonly metadata: EventMetadata;
}

/** A contact's own events name it as their aggregate; the others (messages, sessions, lists) carry `contactId`. */
export function triggerEventOf(message: OutboxMessage & { projectId: string }): TriggerEvent {
  const contactId = message.aggregateType === 'contact' ? message.aggregateId : message.data.contactId;
  return {
    eventId: message.eventId,
    type: message.type,
    projectId: message.projectId,
    occurredAt: message.occurredAt,
    data: message.data,
    contactId: typeof contactId === 'string' ? contactId : null,
    metadata: message.metadata,
  };
}
