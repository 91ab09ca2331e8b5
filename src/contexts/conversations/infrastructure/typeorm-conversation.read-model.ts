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
  sentByAgentId: r.sentByAgentId,
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

  async latestChatOfContact(projectId: string, contactId: string): Promise<{ chatId: string; channelId: string } | null> {
    // a contact has a handful of chats: the latest message of each is one index probe
    const [row]: { id: string; channel_id: string }[] = await this.tx.manager.query(
      `SELECT c.id, c.channel_id FROM chats c
        WHERE c.project_id = $1 AND c.contact_id = $2 AND c.type = 'direct'
        ORDER BY (SELECT max(m.sent_at) FROM messages m WHERE m.tenant_id = c.tenant_id AND m.chat_id = c.id) DESC NULLS LAST, c.id DESC
        LIMIT 1`,
      [projectId, contactId],
    );
    return row ? { chatId: row.id, channelId: row.channel_id } : null;
  }
}
