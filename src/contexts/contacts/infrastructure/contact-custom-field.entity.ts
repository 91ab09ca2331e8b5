import { Column, Entity } from 'typeorm';
import { SoftDeletableRowEntity } from '#persistence/base-entities';

@Entity('contact_custom_fields')
export class ContactCustomFieldEntity extends SoftDeletableRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('text') key: string;
  @Column('text') label: string;
  @Column('text', { name: 'field_type' }) fieldType: string;
}
