import { Column, Entity } from 'typeorm';
import { SoftDeletableRowEntity } from '#persistence/base-entities';

@Entity('projects')
export class ProjectEntity extends SoftDeletableRowEntity {
  @Column('uuid', { name: 'billing_account_id' }) billingAccountId: string;
  @Column('uuid', { name: 'created_by' }) createdBy: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column('jsonb') configuration: Record<string, unknown>;
  @Column('boolean') active: boolean;
  @Column('integer', { name: 'session_timeout_minutes' }) sessionTimeoutMinutes: number;
}
