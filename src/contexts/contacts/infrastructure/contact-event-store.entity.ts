import { Column, CreateDateColumn, Entity } from 'typeorm';
import { TenantRowEntity } from '#persistence/base-entities';

/** Append-only stream of a contact's events; `sequence_number` is the contact version the event produced. */
@Entity('contact_event_store')
export class ContactStoredEventEntity extends TenantRowEntity {
  @Column('uuid', { name: 'project_id', nullable: true }) projectId: string | null;
  @Column('uuid', { name: 'aggregate_id' }) aggregateId: string;
  @Column('integer', { name: 'sequence_number' }) sequenceNumber: number;
  @Column('uuid', { name: 'event_id' }) eventId: string;
  @Column('text', { name: 'event_type' }) eventType: string;
  @Column('integer', { name: 'event_version' }) eventVersion: number;
  @Column('jsonb', { name: 'event_data' }) eventData: object;
  @Column('jsonb') metadata: object;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('contact_snapshots')
export class ContactSnapshotEntity extends TenantRowEntity {
  @Column('uuid', { name: 'aggregate_id' }) aggregateId: string;
  @Column('integer', { name: 'last_sequence_number' }) lastSequenceNumber: number;
  @Column('jsonb', { name: 'snapshot_data' }) snapshotData: object;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
