import { Column, Entity } from 'typeorm';
import { SoftDeletableRowEntity } from '#persistence/base-entities';

@Entity('contact_lists')
export class ContactListEntity extends SoftDeletableRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) description: string | null;
}
