import { Column, Entity } from 'typeorm';
import { SoftDeletableRowEntity } from '#persistence/base-entities';
import type { FirstTouchAttribution } from '../contacts.events';

@Entity('contacts')
export class ContactEntity extends SoftDeletableRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('text', { nullable: true }) name: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text', { name: 'external_id', nullable: true }) externalId: string | null;
  @Column('text', { name: 'source_channel', nullable: true }) sourceChannel: string | null;
  @Column('text', { nullable: true }) language: string | null;
  @Column('text', { nullable: true }) timezone: string | null;
  @Column('text', { array: true }) tags: string[];
  @Column('jsonb', { name: 'custom_fields' }) customFields: Record<string, unknown>;
  @Column('text', { name: 'profile_picture_url', nullable: true }) profilePictureUrl: string | null;
  @Column('jsonb', { name: 'first_touch', nullable: true }) firstTouch: FirstTouchAttribution | null;
  @Column('timestamptz', { name: 'first_interaction_at', nullable: true }) firstInteractionAt: Date | null;
  @Column('timestamptz', { name: 'last_interaction_at', nullable: true }) lastInteractionAt: Date | null;
}
