import { Column, Entity } from 'typeorm';
import { SoftDeletableRowEntity } from '#persistence/base-entities';

@Entity('notes')
export class NoteEntity extends SoftDeletableRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'contact_id' }) contactId: string;
  @Column('text', { name: 'content' }) text: string;
  @Column('boolean') pinned: boolean;
  @Column('uuid', { name: 'author_id', nullable: true }) authorId: string | null;
}
