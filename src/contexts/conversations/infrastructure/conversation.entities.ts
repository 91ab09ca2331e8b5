import { Column, CreateDateColumn, Entity } from 'typeorm';
import { AggregateRowEntity, SoftDeletableRowEntity, TenantRowEntity } from '#persistence/base-entities';
import type { AdAttribution, GeoLocation, MediaRef, MessageDirection, MessageStatus, MessageType } from '../../channels/channels.events';
import type { ChatType, SessionEndReason } from '../conversations.events';
import type { SessionStatus } from '../domain/session';
import type { MessageGroupStatus } from '../domain/message-group';
import type { Reactions } from '../domain/message';
import type { AgentType } from '../conversations.events';

@Entity('chats')
export class ChatEntity extends AggregateRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'channel_id' }) channelId: string;
  @Column('text', { name: 'external_id' }) externalId: string;
  @Column('text') type: ChatType;
  @Column('uuid', { name: 'contact_id', nullable: true }) contactId: string | null;
}

@Entity('messages')
export class MessageEntity extends AggregateRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'chat_id' }) chatId: string;
  @Column('uuid', { name: 'channel_id' }) channelId: string;
  @Column('uuid', { name: 'contact_id', nullable: true }) contactId: string | null;
  @Column('uuid', { name: 'session_id', nullable: true }) sessionId: string | null;
  @Column('uuid', { name: 'message_group_id', nullable: true }) messageGroupId: string | null;
  @Column('text') direction: MessageDirection;
  @Column('text') type: MessageType;
  @Column('text', { nullable: true }) text: string | null;
  @Column('jsonb', { nullable: true }) media: MediaRef | null;
  @Column('jsonb', { nullable: true }) location: GeoLocation | null;
  @Column('jsonb', { nullable: true }) contacts: string[] | null;
  @Column('text') status: MessageStatus;
  @Column('text', { name: 'external_id' }) externalId: string;
  @Column('text', { name: 'wa_message_id' }) waMessageId: string;
  @Column('uuid', { name: 'reply_to_message_id', nullable: true }) replyToMessageId: string | null;
  @Column('jsonb', { nullable: true }) attribution: AdAttribution | null;
  @Column('jsonb') reactions: Reactions;
  @Column('timestamptz', { name: 'sent_at' }) sentAt: Date;
  @Column('timestamptz', { name: 'edited_at', nullable: true }) editedAt: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @Column('uuid', { name: 'sent_by_user_id', nullable: true }) sentByUserId: string | null;
  @Column('uuid', { name: 'sent_by_agent_id', nullable: true }) sentByAgentId: string | null;
  @Column('text', { nullable: true }) error: string | null;
}

@Entity('sessions')
export class SessionEntity extends AggregateRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'contact_id' }) contactId: string;
  @Column('uuid', { name: 'channel_id' }) channelId: string;
  @Column('uuid', { name: 'chat_id' }) chatId: string;
  @Column('text') status: SessionStatus;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('timestamptz', { name: 'last_message_at' }) lastMessageAt: Date;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt: Date | null;
  @Column('text', { name: 'end_reason', nullable: true }) endReason: SessionEndReason | null;
  @Column('integer', { name: 'inbound_count' }) inboundCount: number;
  @Column('integer', { name: 'outbound_count' }) outboundCount: number;
  @Column('timestamptz', { name: 'first_response_at', nullable: true }) firstResponseAt: Date | null;
  @Column('integer', { name: 'timeout_minutes' }) timeoutMinutes: number;
  @Column('uuid', { name: 'agent_id', nullable: true }) agentId: string | null;
}

@Entity('message_groups')
export class MessageGroupEntity extends AggregateRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'contact_id' }) contactId: string;
  @Column('uuid', { name: 'chat_id' }) chatId: string;
  @Column('uuid', { name: 'channel_id' }) channelId: string;
  @Column('uuid', { name: 'session_id' }) sessionId: string;
  @Column('text') status: MessageGroupStatus;
  @Column('uuid', { name: 'message_ids', array: true }) messageIds: string[];
  @Column('timestamptz', { name: 'first_message_at' }) firstMessageAt: Date;
  @Column('timestamptz', { name: 'last_message_at' }) lastMessageAt: Date;
  @Column('integer', { name: 'debounce_ms' }) debounceMs: number;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
}

@Entity('pending_acks')
export class PendingAckEntity extends TenantRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'channel_id' }) channelId: string;
  @Column('text', { name: 'wa_message_id' }) waMessageId: string;
  @Column('text') status: MessageStatus;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('agents')
export class AgentEntity extends SoftDeletableRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('text') type: AgentType;
  @Column('text') name: string;
  @Column('text', { nullable: true }) email: string | null;
  @Column('uuid', { name: 'user_id', nullable: true }) userId: string | null;
  @Column('boolean') active: boolean;
  @Column('jsonb') config: Record<string, unknown>;
}

/** One assignment of a session to an agent: open until the session is given to another agent. */
@Entity('agent_sessions')
export class AgentSessionEntity extends TenantRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'agent_id' }) agentId: string;
  @Column('uuid', { name: 'session_id' }) sessionId: string;
  @Column('timestamptz', { name: 'assigned_at' }) assignedAt: Date;
  @Column('timestamptz', { name: 'unassigned_at', nullable: true }) unassignedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

export const CONVERSATIONS_ENTITIES = [
  ChatEntity,
  MessageEntity,
  SessionEntity,
  MessageGroupEntity,
  PendingAckEntity,
  AgentEntity,
  AgentSessionEntity,
];
