import { Column, Entity } from 'typeorm';
import { SoftDeletableRowEntity } from '#persistence/base-entities';

@Entity('project_members')
export class ProjectMemberEntity extends SoftDeletableRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('text') role: string;
  @Column('uuid', { name: 'invited_by', nullable: true }) invitedBy: string | null;
  @Column('timestamptz', { name: 'invited_at' }) invitedAt: Date;
}
