import { Injectable } from '@nestjs/common';
import { MoreThan } from 'typeorm';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ChatFilter, ChatView, ConversationReadModel, MessageView } from '../application/conversations.ports';
import { ChatEntity, MessageEntity } from './conversation.entities';

const chatView = (r: ChatEntity): ChatView => ({
  id: r.id,
  channelId: r.channelId,
  externalId: r.externalId,
  type: r.type,
  contactId: r.contactId,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const messageView = (r: MessageEntity): MessageView => ({
  id: r.id,
  chatId: r.chatId,
  channelId: r.channelId,
  sessionId: r.sessionId,
  messageGroupId: r.messageGroupId,
  contactId: r.contactId,
  direction: r.direction,
  type: r.type,
  text: r.text,
  media: r.media,
  location: r.location,
  contacts: r.contacts,
  status: r.status,
  externalId: r.externalId,
  waMessageId: r.waMessageId,
  replyToMessageId: r.replyToMessageId,
  attribution: r.attribution,
  reactions: r.reactions,
  sentAt: r.sentAt,
  editedAt: r.editedAt,
  revokedAt: r.revokedAt,
  sentByUserId: r.sentByUserId,
  error: r.error,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

@Injectable()
export class TypeormConversationReadModel implements ConversationReadModel {
  constructor(private readonly tx: TransactionRunner) {}

  async listChats(projectId: string, filter: ChatFilter, take: number, after?: string): Promise<ChatView[]> {
    const rows = await this.tx.manager.find(ChatEntity, {
      where: {
        projectId,
        ...(filter.contactId ? { contactId: filter.contactId } : {}),
        ...(filter.channelId ? { channelId: filter.channelId } : {}),
        ...(filter.type ? { type: filter.type } : {}),
        ...(after ? { id: MoreThan(after) } : {}),
      },
      order: { id: 'ASC' },
      take,
    });
    return rows.map(chatView);
  }

  async getChat(projectId: string, id: string): Promise<ChatView | null> {
    const row = await this.tx.manager.findOne(ChatEntity, { where: { id, projectId } });
    return row ? chatView(row) : null;
  }

  async listMessages(projectId: string, chatId: string, take: number, before?: string): Promise<MessageView[]> {
    const query = this.tx.manager
      .createQueryBuilder(MessageEntity, 'm')
      .where('m.project_id = :projectId AND m.chat_id = :chatId', { projectId, chatId })
      .orderBy('m.sent_at', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .take(take);
    // keyset: strictly after the previous page's last message in (sent_at, id) descending order
    if (before) query.andWhere('(m.sent_at, m.id) < (SELECT p.sent_at, p.id FROM messages p WHERE p.id = :before)', { before });
    return (await query.getMany()).map(messageView);
  }

  async getMessage(projectId: string, id: string): Promise<MessageView | null> {
    const row = await this.tx.manager.findOne(MessageEntity, { where: { id, projectId } });
    return row ? messageView(row) : null;
  }
}
