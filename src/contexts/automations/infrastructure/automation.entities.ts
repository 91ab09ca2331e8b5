import { Column, CreateDateColumn, Entity, UpdateDateColumn } from 'typeorm';
import { SoftDeletableRowEntity, TenantRowEntity } from '#persistence/base-entities';
import type { AutomationAction, ConditionGroup } from '../automations.events';
import type { ActionOutcome, ExecutionStatus } from '../domain/automation-execution';

@Entity('automations')
export class AutomationEntity extends SoftDeletableRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column('boolean') enabled: boolean;
  @Column('integer') priority: number;
  /** Exactly one of trigger_event and trigger_schedule is set. */
  @Column('text', { name: 'trigger_event', nullable: true }) triggerEvent: string | null;
  @Column('text', { name: 'trigger_schedule', nullable: true }) triggerSchedule: string | null;
  @Column('text', { name: 'trigger_timezone', nullable: true }) triggerTimezone: string | null;
  @Column('jsonb') conditions: ConditionGroup;
  @Column('jsonb') actions: AutomationAction[];
}

/** The run log: one row per automation and triggering event. */
@Entity('automation_executions')
export class AutomationExecutionEntity extends TenantRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'automation_id' }) automationId: string;
  @Column('uuid', { name: 'event_id' }) eventId: string;
  @Column('text', { name: 'event_type' }) eventType: string;
  @Column('uuid', { name: 'contact_id', nullable: true }) contactId: string | null;
  @Column('integer') depth: number;
  @Column('text') status: ExecutionStatus;
  @Column('jsonb') actions: ActionOutcome[];
  @Column('text', { nullable: true }) error: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

export const AUTOMATIONS_ENTITIES = [AutomationEntity, AutomationExecutionEntity];
