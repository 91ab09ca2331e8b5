import { Column, CreateDateColumn, Entity, UpdateDateColumn } from 'typeorm';
import { TenantRowEntity } from '#persistence/base-entities';
import type { ContactIdentityKind } from '../contacts.events';

/**
 * A messaging identity (a WhatsApp LID) and the contact it belongs to: unique per project, kind and value. Moved
 * to another contact when its contact was deleted; only the contact repository writes it.
 */
@Entity('contact_identities')
export class ContactIdentityEntity extends TenantRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'contact_id' }) contactId: string;
  @Column('text') kind: ContactIdentityKind;
  @Column('text') value: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
