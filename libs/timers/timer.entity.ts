import { Column, CreateDateColumn, Entity, UpdateDateColumn } from 'typeorm';
import { TenantRowEntity } from '../persistence/base-entities';

/**
 * A pending durable timer, for the catalog audit and typed reads; TimerScheduler and `timers_fire()` use
 * hand-written SQL (the upsert that reschedules, the fire that moves due timers into the outbox).
 */
@Entity('scheduled_timers')
export class ScheduledTimerEntity extends TenantRowEntity {
  @Column('uuid', { name: 'project_id', nullable: true }) projectId: string | null;
  @Column('text') kind: string;
  @Column('text') key: string;
  @Column('timestamptz', { name: 'due_at' }) dueAt: Date;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('jsonb') metadata: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
