import type { ExpectedVersion } from '#kernel';
import type { MessageStatus } from '../../channels/channels.events';
import { Agent, SystemAgentName } from './agent';
import { Chat } from './chat';
import { Message } from './message';
import { MessageGroup } from './message-group';
import { Session } from './session';

/** A reference to a message as provider events give it: the full id, the bare id, or both. */
export interface MessageRef {
  channelId: string;
  externalId?: string;
  waMessageId: string;
}

export interface ChatRepository {
  findByExternalId(channelId: string, externalId: string): Promise<Chat | null>;
  /** The project's chat (RLS keeps other tenants out). */
  findById(projectId: string, id: string): Promise<Chat | null>;
  save(chat: Chat): Promise<void>;
}

export interface MessageRepository {
  /** By the full id when it is given and matches, else by the bare WhatsApp id. */
  find(ref: MessageRef): Promise<Message | null>;
  findById(id: string): Promise<Message | null>;
  /**
   * The oldest outbound message of the chat still waiting for the provider's answer with this text, created since
   * `since`: what an echo of our own send that overtook the answer belongs to. Locks the row (SKIP LOCKED: one
   * echo takes one message).
   */
  findPendingEcho(chatId: string, text: string | null, since: Date): Promise<Message | null>;
  save(message: Message): Promise<void>;
}

/** Delivery reports that arrived before their message: kept, merged (never backwards), applied when it arrives. */
export interface PendingAckRepository {
  keep(input: { tenantId: string; projectId: string; channelId: string; waMessageId: string; status: MessageStatus }): Promise<void>;
  /**
   * Serialises, until the transaction ends, the work on one provider message (its deliveries and its reports),
   * so a report and its message processed at the same time by two relay workers cannot miss each other.
   */
  lock(channelId: string, waMessageId: string): Promise<void>;
  /** Removes and returns the statuses kept for this message (none when there were none). */
  take(channelId: string, waMessageId: string): Promise<MessageStatus[]>;
}

export interface SessionRepository {
  findById(id: string): Promise<Session | null>;
  /** The contact's active session on the channel (at most one: a partial unique index). */
  findActive(contactId: string, channelId: string): Promise<Session | null>;
  /**
   * Serialises, until the transaction ends, the messages of one contact on one channel: two relay workers never
   * both open a session (or a message group) for them.
   */
  lock(contactId: string, channelId: string): Promise<void>;
  /** The contact's active session with the latest message, whatever the channel. */
  findLatestActiveOfContact(projectId: string, contactId: string): Promise<Session | null>;
  save(session: Session, expected?: ExpectedVersion): Promise<void>;
}

export interface AgentRepository {
  /** The project's agent; a soft-deleted one only `withDeleted`. */
  findById(projectId: string, id: string, options?: { withDeleted?: boolean }): Promise<Agent | null>;
  /** The member's agent in the project, deleted or not (a user has at most one). */
  findByUser(projectId: string, userId: string): Promise<Agent | null>;
  findSystem(projectId: string, name: SystemAgentName): Promise<Agent | null>;
  /**
   * Serialises, until the transaction ends, the provisioning of one agent (a member's, a system one): the
   * look-up-then-create of a consumer and of a request at the same moment make one agent, never a unique violation.
   */
  lockProvisioning(projectId: string, key: string): Promise<void>;
  save(agent: Agent, expected?: ExpectedVersion): Promise<void>;
}

/** The history of a session's assignments (`agent_sessions`), written with the session's own change. */
export interface SessionAssignmentLog {
  /** Closes the session's current assignment at `at` and opens one for `agentId`. */
  reassign(input: { tenantId: string; projectId: string; sessionId: string; agentId: string; at: Date }): Promise<void>;
}

export interface MessageGroupRepository {
  /** Locks the group's row until the transaction ends (its timer and a new message wait for each other). */
  findById(id: string): Promise<MessageGroup | null>;
  /** The contact's pending group on the channel (at most one: a partial unique index), its row locked. */
  findPending(contactId: string, channelId: string): Promise<MessageGroup | null>;
  save(group: MessageGroup): Promise<void>;
}

export const SESSION_REPOSITORY = Symbol('SessionRepository');
export const AGENT_REPOSITORY = Symbol('AgentRepository');
export const SESSION_ASSIGNMENT_LOG = Symbol('SessionAssignmentLog');
export const CHAT_REPOSITORY = Symbol('ChatRepository');
export const MESSAGE_REPOSITORY = Symbol('MessageRepository');
export const PENDING_ACK_REPOSITORY = Symbol('PendingAckRepository');
export const MESSAGE_GROUP_REPOSITORY = Symbol('MessageGroupRepository');
