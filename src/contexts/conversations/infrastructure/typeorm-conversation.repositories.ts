import { Injectable } from '@nestjs/common';
import { ExpectedVersion, newId } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { compareAndSwap } from '#persistence/compare-and-swap';
import { TransactionRunner } from '#persistence/transaction-runner';
import type { MessageStatus } from '../../channels/channels.events';
import { Chat } from '../domain/chat';
import {
  ChatRepository,
  MessageGroupRepository,
  MessageRef,
  MessageRepository,
  PendingAckRepository,
  SessionRepository,
} from '../domain/conversations.repositories';
import { Message } from '../domain/message';
import { MessageGroup } from '../domain/message-group';
import { Session } from '../domain/session';
import { ChatEntity, MessageEntity, MessageGroupEntity, PendingAckEntity, SessionEntity } from './conversation.entities';

@Injectable()
export class TypeormChatRepository implements ChatRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async findByExternalId(channelId: string, externalId: string): Promise<Chat | null> {
    return this.restore(await this.tx.manager.findOne(ChatEntity, { where: { channelId, externalId } }));
  }

  async findById(projectId: string, id: string): Promise<Chat | null> {
    return this.restore(await this.tx.manager.findOne(ChatEntity, { where: { projectId, id } }));
  }

  private restore(row: ChatEntity | null): Chat | null {
    return row
      ? Chat.restore({
          id: row.id,
          tenantId: row.tenantId,
          projectId: row.projectId,
          channelId: row.channelId,
          externalId: row.externalId,
          type: row.type,
          contactId: row.contactId,
          version: row.version,
        })
      : null;
  }

  async save(chat: Chat): Promise<void> {
    const { version: _v, ...row } = chat.snapshot;
    await this.store.save(chat, ChatEntity, row, 'chat');
  }
}

@Injectable()
export class TypeormMessageRepository implements MessageRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async find(ref: MessageRef): Promise<Message | null> {
    const m = this.tx.manager;
    const row =
      (ref.externalId ? await m.findOne(MessageEntity, { where: { channelId: ref.channelId, externalId: ref.externalId } }) : null) ??
      (await m.findOne(MessageEntity, { where: { channelId: ref.channelId, waMessageId: ref.waMessageId }, order: { id: 'ASC' } }));
    return row ? Message.restore(toState(row)) : null;
  }

  async findById(id: string): Promise<Message | null> {
    const row = await this.tx.manager.findOne(MessageEntity, { where: { id } });
    return row ? Message.restore(toState(row)) : null;
  }

  async findPendingEcho(chatId: string, text: string | null, since: Date): Promise<Message | null> {
    const rows: { id: string }[] = await this.tx.manager.query(
      `SELECT id FROM messages
        WHERE chat_id = $1 AND status = 'pending' AND direction = 'outbound' AND text IS NOT DISTINCT FROM $2 AND created_at >= $3
        ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [chatId, text, since],
    );
    return rows[0] ? this.findById(rows[0].id) : null;
  }

  async save(message: Message): Promise<void> {
    const { version: _v, ...row } = message.snapshot;
    await this.store.save(message, MessageEntity, row, 'message');
  }
}

@Injectable()
export class TypeormSessionRepository implements SessionRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async findById(id: string): Promise<Session | null> {
    return this.restore(await this.tx.manager.findOne(SessionEntity, { where: { id } }));
  }

  async findActive(contactId: string, channelId: string): Promise<Session | null> {
    return this.restore(await this.tx.manager.findOne(SessionEntity, { where: { contactId, channelId, status: 'active' } }));
  }

  async lock(contactId: string, channelId: string): Promise<void> {
    await this.tx.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`conversations:${contactId}:${channelId}`]);
  }

  async findLatestActiveOfContact(projectId: string, contactId: string): Promise<Session | null> {
    return this.restore(
      await this.tx.manager.findOne(SessionEntity, {
        where: { projectId, contactId, status: 'active' },
        order: { lastMessageAt: 'DESC', id: 'DESC' },
      }),
    );
  }

  async save(session: Session, expected?: ExpectedVersion): Promise<void> {
    const { version: _v, ...row } = session.snapshot;
    if (session.hasChanges) {
      await this.store.save(session, SessionEntity, row, 'session', { expected });
    } else if (session.isTouched) {
      // a counted message: no event to publish, the same compare-and-swap on the version
      const { id: _id, tenantId: _t, ...changes } = row;
      await compareAndSwap(this.tx.manager, SessionEntity, session.id, session.version, changes, 'session');
      session.commit();
    }
  }

  private restore(row: SessionEntity | null): Session | null {
    if (!row) return null;
    const { createdAt: _c, updatedAt: _u, ...state } = row;
    return Session.restore(state);
  }
}

@Injectable()
export class TypeormMessageGroupRepository implements MessageGroupRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async findById(id: string): Promise<MessageGroup | null> {
    return this.restore(await this.tx.manager.findOne(MessageGroupEntity, { where: { id }, lock: { mode: 'pessimistic_write' } }));
  }

  async findPending(contactId: string, channelId: string): Promise<MessageGroup | null> {
    return this.restore(
      await this.tx.manager.findOne(MessageGroupEntity, {
        where: { contactId, channelId, status: 'pending' },
        lock: { mode: 'pessimistic_write' },
      }),
    );
  }

  async save(group: MessageGroup): Promise<void> {
    const { version: _v, ...row } = group.snapshot;
    if (group.hasChanges) {
      await this.store.save(group, MessageGroupEntity, row, 'message_group');
    } else if (group.isTouched) {
      // a message joined: no event to publish, the same compare-and-swap on the version
      const { id: _id, tenantId: _t, ...changes } = row;
      await compareAndSwap(this.tx.manager, MessageGroupEntity, group.id, group.version, changes, 'message_group');
      group.commit();
    }
  }

  private restore(row: MessageGroupEntity | null): MessageGroup | null {
    if (!row) return null;
    const { createdAt: _c, updatedAt: _u, ...state } = row;
    return MessageGroup.restore(state);
  }
}

function toState(row: MessageEntity) {
  return {
    id: row.id,
    tenantId: row.tenantId,
    projectId: row.projectId,
    chatId: row.chatId,
    channelId: row.channelId,
    contactId: row.contactId,
    sessionId: row.sessionId,
    messageGroupId: row.messageGroupId,
    direction: row.direction,
    type: row.type,
    text: row.text,
    media: row.media,
    location: row.location,
    contacts: row.contacts,
    status: row.status,
    externalId: row.externalId,
    waMessageId: row.waMessageId,
    replyToMessageId: row.replyToMessageId,
    attribution: row.attribution,
    reactions: row.reactions,
    sentAt: row.sentAt,
    editedAt: row.editedAt,
    revokedAt: row.revokedAt,
    sentByUserId: row.sentByUserId,
    sentByAgentId: row.sentByAgentId,
    error: row.error,
    version: row.version,
  };
}

@Injectable()
export class TypeormPendingAckRepository implements PendingAckRepository {
  constructor(private readonly tx: TransactionRunner) {}

  async keep(input: { tenantId: string; projectId: string; channelId: string; waMessageId: string; status: MessageStatus }): Promise<void> {
    await this.tx.manager.insert(PendingAckEntity, { id: newId(), ...input });
  }

  async lock(channelId: string, waMessageId: string): Promise<void> {
    await this.tx.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`conversations:${channelId}:${waMessageId}`]);
  }

  async take(channelId: string, waMessageId: string): Promise<MessageStatus[]> {
    // a CTE so the driver answers with the deleted rows as a plain result set
    const rows: { status: MessageStatus }[] = await this.tx.manager.query(
      `WITH taken AS (DELETE FROM pending_acks WHERE channel_id = $1 AND wa_message_id = $2 RETURNING status, id)
       SELECT status FROM taken ORDER BY id`,
      [channelId, waMessageId],
    );
    return rows.map((r) => r.status);
  }
}
