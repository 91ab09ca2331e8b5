import { Column, CreateDateColumn, Entity } from 'typeorm';
import { TenantRowEntity } from '#persistence/base-entities';

/** A timeline entry (`contact_events`), written only by the timeline consumer from contact domain events. */
@Entity('contact_events')
export class ContactTimelineEntity extends TenantRowEntity {
  @Column('uuid', { name: 'project_id', nullable: true }) projectId: string | null;
  @Column('uuid', { name: 'contact_id' }) contactId: string;
  @Column('uuid', { name: 'event_id' }) eventId: string;
  @Column('text', { name: 'event_type' }) eventType: string;
  @Column('text') category: string;
  @Column('text') title: string;
  @Column('jsonb') payload: object;
  @Column('text') source: string;
  @Column('uuid', { name: 'triggered_by', nullable: true }) triggeredBy: string | null;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
