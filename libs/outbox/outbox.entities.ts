import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The outbox tables as rows, for the catalog audit and typed reads; the relay and the writer use hand-written SQL
 * (claim, settle, append) for speed and for the claim's locking.
 */
@Entity('outbox_events')
export class OutboxEventEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'event_id' }) eventId: string;
  @Column({ type: 'bigint', insert: false, update: false }) sequence: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'project_id', nullable: true }) projectId: string | null;
  @Column('text', { name: 'aggregate_type' }) aggregateType: string;
  @Column('uuid', { name: 'aggregate_id' }) aggregateId: string;
  @Column('integer', { name: 'aggregate_version' }) aggregateVersion: number;
  @Column('text', { name: 'event_type' }) eventType: string;
  @Column('integer', { name: 'event_version' }) eventVersion: number;
  @Column('jsonb', { name: 'event_data' }) eventData: Record<string, unknown>;
  @Column('jsonb') metadata: Record<string, unknown>;
  @Column('text') status: 'pending' | 'processing' | 'processed' | 'failed';
  @Column('integer', { name: 'retry_count' }) retryCount: number;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('timestamptz', { name: 'next_attempt_at' }) nextAttemptAt: Date;
  @Column('timestamptz', { name: 'locked_until', nullable: true }) lockedUntil: Date | null;
  @Column('uuid', { name: 'claim_token', nullable: true }) claimToken: string | null;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'processed_at', nullable: true }) processedAt: Date | null;
}

/** That a consumer has handled an event: the key of exactly-once effects. */
@Entity('processed_events')
export class ProcessedEventEntity {
  @PrimaryColumn('text', { name: 'consumer_name' }) consumerName: string;
  @PrimaryColumn('uuid', { name: 'event_id' }) eventId: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('timestamptz', { name: 'processed_at' }) processedAt: Date;
}
