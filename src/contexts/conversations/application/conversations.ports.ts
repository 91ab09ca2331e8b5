import type { AdAttribution, GeoLocation, MediaRef, MessageDirection, MessageStatus, MessageType } from '../../channels/channels.events';
import type { ChatType } from '../conversations.events';
import type { Reactions } from '../domain/message';

export interface ChatView {
  id: string;
  channelId: string;
  externalId: string;
  type: ChatType;
  contactId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface MessageView {
  id: string;
  chatId: string;
  channelId: string;
  sessionId: string | null;
  contactId: string | null;
  direction: MessageDirection;
  type: MessageType;
  text: string | null;
  media: MediaRef | null;
  location: GeoLocation | null;
  contacts: string[] | null;
  status: MessageStatus;
  externalId: string;
  waMessageId: string;
  replyToMessageId: string | null;
  attribution: AdAttribution | null;
  reactions: Reactions;
  sentAt: Date;
  editedAt: Date | null;
  revokedAt: Date | null;
  sentByUserId: string | null;
  error: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ChatFilter {
  contactId?: string;
  channelId?: string;
  type?: ChatType;
}

export interface ConversationReadModel {
  /** Chats oldest first (keyset on the time-ordered id). */
  listChats(projectId: string, filter: ChatFilter, take: number, after?: string): Promise<ChatView[]>;
  getChat(projectId: string, id: string): Promise<ChatView | null>;
  /** A chat's messages newest first (sent_at, then id); `before` is the last message id of the previous page. */
  listMessages(projectId: string, chatId: string, take: number, before?: string): Promise<MessageView[]>;
  getMessage(projectId: string, id: string): Promise<MessageView | null>;
}

export const CONVERSATION_READ_MODEL = Symbol('ConversationReadModel');
