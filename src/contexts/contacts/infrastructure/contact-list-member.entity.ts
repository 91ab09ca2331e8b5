import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Membership of a contact in a list: a fact that exists or not, so it is inserted and deleted, never versioned
 * (its composite key is why it extends no base entity). Only the list's repository writes it, from list events.
 */
@Entity('contact_list_members')
export class ContactListMemberEntity {
  @PrimaryColumn('uuid', { name: 'list_id' }) listId: string;
  @PrimaryColumn('uuid', { name: 'contact_id' }) contactId: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @CreateDateColumn({ name: 'added_at', type: 'timestamptz' }) addedAt: Date;
}
