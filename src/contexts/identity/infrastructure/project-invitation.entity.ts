import { Column, Entity } from 'typeorm';
import { AggregateRowEntity } from '#persistence/base-entities';

/** Kept after the answer (accepted, declined, expired) as the record of who let whom in. */
@Entity('project_invitations')
export class ProjectInvitationEntity extends AggregateRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('text') email: string;
  @Column('text') role: string;
  @Column('text') status: string;
  @Column('uuid', { name: 'invited_by' }) invitedBy: string;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('uuid', { name: 'responded_by', nullable: true }) respondedBy: string | null;
  @Column('timestamptz', { name: 'responded_at', nullable: true }) respondedAt: Date | null;
}
