import { Column, CreateDateColumn, Entity } from 'typeorm';
import { TenantRowEntity } from '#persistence/base-entities';

/** One bulk import: its progress, rewritten in the transaction of each batch it commits. */
@Entity('contact_imports')
export class ContactImportEntity extends TenantRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('text') format: string;
  @Column('text') mode: string;
  @Column('text') status: string;
  @Column('integer', { name: 'rows_read' }) rowsRead: number;
  @Column('integer') created: number;
  @Column('integer') updated: number;
  @Column('integer') unchanged: number;
  @Column('integer') rejected: number;
  @Column('jsonb', { name: 'rejected_rows' }) rejectedRows: object[];
  @Column('text', { nullable: true }) error: string | null;
  @Column('uuid', { name: 'started_by', nullable: true }) startedBy: string | null;
  @Column('uuid', { name: 'cancelled_by', nullable: true }) cancelledBy: string | null;
  @Column('timestamptz', { name: 'heartbeat_at' }) heartbeatAt: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}
