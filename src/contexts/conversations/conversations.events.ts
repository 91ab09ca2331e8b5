import type { EventOf } from '#kernel';
import type { OutboxMessage } from '#outbox/outbox-message';
import type { MediaRef, MessageDirection, MessageStatus, MessageType } from '../channels/channels.events';

/*
 * The events the conversations context publishes. Dates are ISO-8601 strings (payloads travel as JSON).
 */

export type ChatType = 'direct' | 'group';

/** `chat.created` (v1): the first message of a WhatsApp chat on a channel. */
export interface ChatCreated {
  channelId: string;
  externalId: string;
  type: ChatType;
  contactId: string | null;
}

/** The fields of a message as `message.received` / `message.recorded` show them. */
export interface MessagePayload {
  chatId: string;
  channelId: string;
  contactId: string | null;
  direction: MessageDirection;
  type: MessageType;
  text: string | null;
  externalId: string;
  status: MessageStatus;
  sentAt: string;
}

/** `message.received` (v1): a message the contact (or a group member) wrote. */
export type MessageReceived = MessagePayload;
/** `message.recorded` (v1): a message written from the channel's own phone (or echoed from an API send). */
export type MessageRecorded = MessagePayload;

/** `message.send_requested` (v1): a user asked to send an outbound message; `conversations.outbound` sends it. */
export interface MessageSendRequested {
  chatId: string;
  channelId: string;
  contactId: string | null;
  type: MessageType;
  text: string | null;
  media: MediaRef | null;
  sentByUserId: string | null;
  /**
   * The agent the message is sent as: the user's agent, the project's API agent for an API key, or the agent an
   * automation names. Additive: events written before it existed lack it.
   */
  sentByAgentId?: string | null;
}

/** `message.sent` (v1): the provider accepted an outbound message and gave it its ids. */
export interface MessageSent {
  chatId: string;
  externalId: string;
  waMessageId: string;
}

/** `message.failed` (v1): the provider refused an outbound message, or the retries ran out. */
export interface MessageFailed {
  chatId: string;
  reason: string;
}

/** `message.status_changed` (v1): a delivery report moved the status forward (never backwards). */
export interface MessageStatusChanged {
  chatId: string;
  from: MessageStatus;
  to: MessageStatus;
}

/** `message.reaction_changed` (v1): `emoji` null when the reaction was removed. */
export interface MessageReactionChanged {
  chatId: string;
  by: string;
  emoji: string | null;
}

/** `message.edited` (v1). */
export interface MessageEditedEvent {
  chatId: string;
  text: string;
}

/** `message.revoked` (v1): deleted for everyone by its author. */
export interface MessageRevokedEvent {
  chatId: string;
}

/** `manual`: closed by a user through `POST /sessions/:id/close`. */
export type SessionEndReason = 'inactivity_timeout' | 'manual';

/** `session.started` (v1): the first message with a contact on a channel, or the first after the last session ended. */
export interface SessionStarted {
  contactId: string;
  channelId: string;
  chatId: string;
  startedAt: string;
  timeoutMinutes: number;
}

/**
 * `session.ended` (v1): `endedAt` is when it timed out (last message + timeout), whenever that was noticed; for a
 * `manual` end, when it was closed.
 */
export interface SessionEnded {
  contactId: string;
  channelId: string;
  chatId: string;
  reason: SessionEndReason;
  startedAt: string;
  endedAt: string;
  inboundCount: number;
  outboundCount: number;
  /** From the start to the first outbound message after an inbound one; null when there was none. */
  firstResponseSeconds: number | null;
}

/** `message_group.started` (v1): a contact's inbound message opened a group: its debounce window. */
export interface MessageGroupStarted {
  contactId: string;
  chatId: string;
  channelId: string;
  sessionId: string;
  firstMessageAt: string;
  debounceMs: number;
}

/**
 * `message_group.completed` (v1): no inbound message of the contact came for `debounceMs` after the last one (or
 * a later one opened a new group): the group is closed, for later processing (AI) to take as one unit.
 * `completedAt` is when the window closed (last message + debounce) whenever that was noticed, or when a message
 * of a new session closed it earlier.
 */
export interface MessageGroupCompleted {
  groupId: string;
  contactId: string;
  chatId: string;
  channelId: string;
  sessionId: string;
  /** In the order they were recorded. */
  messageIds: string[];
  messageCount: number;
  firstMessageAt: string;
  lastMessageAt: string;
  completedAt: string;
}

export type MessageGroupEvents = {
  'message_group.started': MessageGroupStarted;
  'message_group.completed': MessageGroupCompleted;
};

/**
 * `session.assigned` (v1): the session is assigned to `agentId` (by hand, or by an automation through the
 * conversations port); `previousAgentId` is who had it until then.
 */
export interface SessionAssigned {
  contactId: string;
  channelId: string;
  chatId: string;
  agentId: string;
  previousAgentId: string | null;
  assignedAt: string;
}

export type SessionEvents = {
  'session.started': SessionStarted;
  'session.ended': SessionEnded;
  'session.assigned': SessionAssigned;
};

/** Who works a conversation: a member (human), an AI, a bot, or one of the project's system agents. */
export type AgentType = 'human' | 'ai' | 'bot' | 'system';

/** An agent's fields as `agent.created` shows them (and `agent.updated` shows the changed ones). */
export interface AgentFields {
  type: AgentType;
  name: string;
  email: string | null;
  /** The member a human agent belongs to; null for AI, bots, system agents and unlinked humans. */
  userId: string | null;
  active: boolean;
  /** Free settings of AI and bot agents (model, prompt, endpoint, ...). */
  config: Record<string, unknown>;
}

/** `agent.created` (v1): seeded system agents, members' agents and agents created through the API. */
export type AgentCreated = AgentFields;

/** `agent.updated` (v1): only the fields that changed. */
export interface AgentUpdated {
  changes: Partial<AgentFields>;
}

export type AgentEvents = {
  'agent.created': AgentCreated;
  'agent.updated': AgentUpdated;
  /** `agent.deleted` (v1): soft-deleted; `agent.restored` (v1) brings it back. */
  'agent.deleted': Record<string, never>;
  'agent.restored': Record<string, never>;
};

export type ChatEvents = {
  'chat.created': ChatCreated;
};

export type MessageEvents = {
  'message.received': MessageReceived;
  'message.recorded': MessageRecorded;
  'message.send_requested': MessageSendRequested;
  'message.sent': MessageSent;
  'message.failed': MessageFailed;
  'message.status_changed': MessageStatusChanged;
  'message.reaction_changed': MessageReactionChanged;
  'message.edited': MessageEditedEvent;
  'message.revoked': MessageRevokedEvent;
};

export type ConversationsEvents = ChatEvents & MessageEvents & SessionEvents & AgentEvents & MessageGroupEvents;
export type ConversationsEventType = keyof ConversationsEvents;

export const CONVERSATIONS_EVENT_VERSIONS: { readonly [K in ConversationsEventType]: number } = {
  'chat.created': 1,
  'message.received': 1,
  'message.recorded': 1,
  'message.send_requested': 1,
  'message.sent': 1,
  'message.failed': 1,
  'message.status_changed': 1,
  'message.reaction_changed': 1,
  'message.edited': 1,
  'message.revoked': 1,
  'session.started': 1,
  'session.ended': 1,
  'session.assigned': 1,
  'agent.created': 1,
  'agent.updated': 1,
  'agent.deleted': 1,
  'agent.restored': 1,
  'message_group.started': 1,
  'message_group.completed': 1,
};

export type ConversationsDomainEvent = EventOf<ConversationsEvents>;

/** A published event as a consumer receives it from the outbox: its `data` typed by its `type`. */
export type ConversationsMessage = {
  [K in ConversationsEventType]: Omit<OutboxMessage, 'type' | 'data'> & { readonly type: K; readonly data: ConversationsEvents[K] };
}[ConversationsEventType];
