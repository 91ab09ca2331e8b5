import type { ChatType } from '../conversations.events';
import type { MessageState } from '../domain/message';

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

/** A message as clients read it: its state without the tenancy keys, with its timestamps. */
export type MessageView = Omit<MessageState, 'tenantId' | 'projectId'> & { createdAt: Date; updatedAt: Date };

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
  /** The contact's direct chat with the latest message (the newest chat when none has one), or null without any. */
  latestChatOfContact(projectId: string, contactId: string): Promise<{ chatId: string; channelId: string } | null>;
}

export const CONVERSATION_READ_MODEL = Symbol('ConversationReadModel');
