import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { SoftDeletableRowEntity, TenantRowEntity } from '#persistence/base-entities';
import type { ChannelConfig, ChannelStatus, ChannelType } from '../channels.events';

/** Reference data: the provider types a channel may have. */
@Entity('channel_types')
export class ChannelTypeEntity {
  @PrimaryColumn('text') type: string;
  @Column('text') name: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('channels')
export class ChannelEntity extends SoftDeletableRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('text') name: string;
  @Column('text') type: ChannelType;
  @Column('text') status: ChannelStatus;
  @Column('boolean') enabled: boolean;
  @Column('jsonb') config: ChannelConfig;
  /** AES-256-GCM sealed (ChannelSecrets), never returned. */
  @Column('text', { name: 'api_key_encrypted', nullable: true }) apiKeyEncrypted: string | null;
  @Column('text', { name: 'webhook_secret_encrypted', nullable: true }) webhookSecretEncrypted: string | null;
  @Column('text', { name: 'webhook_token_hash' }) webhookTokenHash: string;
  @Column('integer', { name: 'session_timeout_minutes', nullable: true }) sessionTimeoutMinutes: number | null;
  @Column('integer', { name: 'debounce_ms' }) debounceMs: number;
  @Column('uuid', { name: 'pipeline_id', nullable: true }) pipelineId: string | null;
}

/** The inbox: one row per webhook delivery, as received; append-only. */
@Entity('channel_inbound_events')
export class ChannelInboundEventEntity extends TenantRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'channel_id' }) channelId: string;
  @Column('text') provider: string;
  @Column('text') event: string;
  @Column('text') body: string;
  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
}

export const CHANNELS_ENTITIES = [ChannelTypeEntity, ChannelEntity, ChannelInboundEventEntity];
