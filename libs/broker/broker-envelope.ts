import { OutboxMessage } from '../outbox/outbox-message';

/** What an external consumer receives as the JSON body of a broker message: the event as the outbox holds it. */
export interface BrokerEvent {
  /** The event id: the broker message id, and the key an external consumer de-duplicates on. */
  id: string;
  type: string;
  version: number;
  tenantId: string;
  projectId: string | null;
  aggregateType: string;
  aggregateId: string;
  /** Grows by one per event of the aggregate: a consumer can tell a stale or repeated event by it. */
  aggregateVersion: number;
  /** The outbox's global order (a decimal string: it outgrows a JavaScript number). */
  sequence: string;
  occurredAt: string;
  data: Record<string, unknown>;
  metadata: OutboxMessage['metadata'];
}

/** The headers both brokers carry, so a consumer can route or filter without parsing the body. */
export const BROKER_HEADERS = {
  tenantId: 'crm-tenant-id',
  projectId: 'crm-project-id',
  aggregateType: 'crm-aggregate-type',
  aggregateId: 'crm-aggregate-id',
  aggregateVersion: 'crm-aggregate-version',
  sequence: 'crm-sequence',
  eventType: 'crm-event-type',
  eventVersion: 'crm-event-version',
} as const;

export function toBrokerEvent(message: OutboxMessage): BrokerEvent {
  return {
    id: message.eventId,
    type: message.type,
    version: message.eventVersion,
    tenantId: message.tenantId,
    projectId: message.projectId,
    aggregateType: message.aggregateType,
    aggregateId: message.aggregateId,
    aggregateVersion: message.aggregateVersion,
    sequence: message.sequence,
    occurredAt: new Date(message.occurredAt).toISOString(),
    data: message.data,
    metadata: message.metadata,
  };
}

export function brokerHeaders(message: OutboxMessage): Record<string, string> {
  return {
    [BROKER_HEADERS.tenantId]: message.tenantId,
    [BROKER_HEADERS.projectId]: message.projectId ?? '',
    [BROKER_HEADERS.aggregateType]: message.aggregateType,
    [BROKER_HEADERS.aggregateId]: message.aggregateId,
    [BROKER_HEADERS.aggregateVersion]: String(message.aggregateVersion),
    [BROKER_HEADERS.sequence]: message.sequence,
    [BROKER_HEADERS.eventType]: message.type,
    [BROKER_HEADERS.eventVersion]: String(message.eventVersion),
  };
}

/** Rejects with `what timed out` after `ms`: a broker that neither confirms nor fails must not hold a delivery. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} not confirmed within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
