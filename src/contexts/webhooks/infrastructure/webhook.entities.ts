import { Column, CreateDateColumn, Entity, UpdateDateColumn } from 'typeorm';
import { SoftDeletableRowEntity, TenantRowEntity } from '#persistence/base-entities';
import type { WebhookSubscriptionStatus } from '../webhooks.events';
import type { DeliveryStatus } from '../application/webhooks.ports';

@Entity('webhook_subscriptions')
export class WebhookSubscriptionEntity extends SoftDeletableRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('text') url: string;
  @Column('text', { array: true }) events: string[];
  @Column('text', { nullable: true }) description: string | null;
  @Column('text') status: WebhookSubscriptionStatus;
  @Column('text', { name: 'disabled_reason', nullable: true }) disabledReason: string | null;
  /** AES-256-GCM sealed (WebhookSecrets), never returned after creation or rotation. */
  @Column('text', { name: 'secret_encrypted' }) secretEncrypted: string;
  @Column('text', { name: 'previous_secret_encrypted', nullable: true }) previousSecretEncrypted: string | null;
  @Column('timestamptz', { name: 'previous_secret_expires_at', nullable: true }) previousSecretExpiresAt: Date | null;
  /** Delivery bookkeeping written by the dispatcher, not part of the aggregate (no version change). */
  @Column('timestamptz', { name: 'failing_since', nullable: true }) failingSince: Date | null;
}

/** One row per (subscription, event): the queue entry and the log of its attempts. */
@Entity('webhook_deliveries')
export class WebhookDeliveryEntity extends TenantRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'subscription_id' }) subscriptionId: string;
  @Column('text', { name: 'event_id' }) eventId: string;
  @Column('text', { name: 'event_type' }) eventType: string;
  @Column('text') body: string;
  @Column('text') status: DeliveryStatus;
  @Column('integer') attempts: number;
  @Column('timestamptz', { name: 'next_attempt_at' }) nextAttemptAt: Date;
  @Column('uuid', { name: 'claim_token', nullable: true }) claimToken: string | null;
  @Column('timestamptz', { name: 'last_attempt_at', nullable: true }) lastAttemptAt: Date | null;
  @Column('integer', { name: 'response_status', nullable: true }) responseStatus: number | null;
  @Column('integer', { name: 'duration_ms', nullable: true }) durationMs: number | null;
  @Column('text', { nullable: true }) error: string | null;
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

export const WEBHOOKS_ENTITIES = [WebhookSubscriptionEntity, WebhookDeliveryEntity];
