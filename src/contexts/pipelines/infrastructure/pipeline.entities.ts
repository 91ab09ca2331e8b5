import { Column, CreateDateColumn, DeleteDateColumn, Entity, UpdateDateColumn } from 'typeorm';
import { AggregateRowEntity, SoftDeletableRowEntity, TenantRowEntity } from '#persistence/base-entities';

@Entity('pipelines')
export class PipelineEntity extends SoftDeletableRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column('text', { nullable: true }) color: string | null;
  @Column('integer', { name: 'session_timeout_minutes', nullable: true }) sessionTimeoutMinutes: number | null;
}

/** A status of a pipeline: written only by the pipeline's repository, versioned by its pipeline. */
@Entity('pipeline_statuses')
export class PipelineStatusEntity extends TenantRowEntity {
  @Column('uuid', { name: 'pipeline_id' }) pipelineId: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) color: string | null;
  @Column('text', { name: 'status_type' }) statusType: string;
  @Column('integer') position: number;
  @Column('uuid', { name: 'allowed_next', array: true, nullable: true }) allowedNext: string[] | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz' }) deletedAt: Date | null;
}

/** A contact's current place in a pipeline (the ContactPipeline aggregate). */
@Entity('contact_pipelines')
export class ContactPipelineEntity extends AggregateRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'pipeline_id' }) pipelineId: string;
  @Column('uuid', { name: 'contact_id' }) contactId: string;
  @Column('uuid', { name: 'status_id' }) statusId: string;
  @Column('uuid', { name: 'entry_id' }) entryId: string;
  @Column('timestamptz', { name: 'entered_at' }) enteredAt: Date;
  /** Set while the contact is deleted (by the contact lifecycle consumer): it is off the board, its place kept. */
  @Column('boolean', { name: 'contact_deleted', default: false }) contactDeleted: boolean;
}

/** One stay of a contact in a status: opened when it enters, closed (exit time, duration) when it leaves. */
@Entity('contact_pipeline_statuses')
export class ContactPipelineEntryEntity extends TenantRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'pipeline_id' }) pipelineId: string;
  @Column('uuid', { name: 'contact_id' }) contactId: string;
  @Column('uuid', { name: 'status_id' }) statusId: string;
  @Column('timestamptz', { name: 'entered_at' }) enteredAt: Date;
  @Column('timestamptz', { name: 'exited_at', nullable: true }) exitedAt: Date | null;
  @Column('bigint', { name: 'duration_ms', nullable: true }) durationMs: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

export const PIPELINES_ENTITIES = [PipelineEntity, PipelineStatusEntity, ContactPipelineEntity, ContactPipelineEntryEntity];
