import type { EventMetadata } from '../kernel';

/** An outbox event as a consumer receives it. */
export interface OutboxMessage {
  readonly id: string;
  readonly eventId: string;
  readonly sequence: string;
  readonly tenantId: string;
  readonly projectId: string | null;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly aggregateVersion: number;
  readonly type: string;
  readonly eventVersion: number;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
  readonly occurredAt: Date;
  readonly retryCount: number;
  /** Identifies the claim that handed this event out; settling requires it (a fencing token). */
  readonly claimToken: string;
}

/** The row shape `outbox_claim()` returns. */
export interface OutboxRow {
  id: string;
  event_id: string;
  sequence: string;
  tenant_id: string;
  project_id: string | null;
  aggregate_type: string;
  aggregate_id: string;
  aggregate_version: number;
  event_type: string;
  event_version: number;
  event_data: Record<string, unknown>;
  metadata: OutboxMessage['metadata'];
  occurred_at: Date;
  retry_count: number;
  claim_token: string;
}

export function toMessage(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    eventId: row.event_id,
    sequence: String(row.sequence),
    tenantId: row.tenant_id,
    projectId: row.project_id,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    aggregateVersion: row.aggregate_version,
    type: row.event_type,
    eventVersion: row.event_version,
    data: row.event_data,
    metadata: row.metadata ?? {},
    occurredAt: row.occurred_at,
    retryCount: row.retry_count,
    claimToken: row.claim_token,
  };
}
