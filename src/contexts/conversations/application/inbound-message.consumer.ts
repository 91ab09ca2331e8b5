import { Inject } from '@nestjs/common';
import { DomainError, newId } from '#kernel';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { ChannelMessageReceived, ChannelParticipant, asChannelsMessage } from '../../channels/channels.events';
import { CONTACTS_API, ContactsApi } from '../../contacts/contacts.api';
import { Chat } from '../domain/chat';
import {
  CHAT_REPOSITORY,
  ChatRepository,
  MESSAGE_REPOSITORY,
  MessageRepository,
  PENDING_ACK_REPOSITORY,
  PendingAckRepository,
} from '../domain/conversations.repositories';
import { Message } from '../domain/message';
import { MessageGrouper } from './message-grouper';
import { SessionTracker } from './session-tracker';

/** How long an API send may wait for its answer and still take an echo that came first (retries included). */
export const ECHO_WINDOW_MS = 15 * 60_000;

/**
 * Records the messages the channels publish. Idempotent on the provider's message: WAHA retries and sends each
 * message as both `message` and `message.any`, and every copy after the first changes nothing. WhatsApp Status
 * posts (`status@broadcast`) are skipped, not recorded.
 */
@Consumer()
export class InboundMessageConsumer implements OutboxConsumer {
  readonly name = 'conversations.inbound';
  readonly eventTypes = ['channel.message_received'];

  constructor(
    @Inject(CHAT_REPOSITORY) private readonly chats: ChatRepository,
    @Inject(MESSAGE_REPOSITORY) private readonly messages: MessageRepository,
    @Inject(PENDING_ACK_REPOSITORY) private readonly pendingAcks: PendingAckRepository,
    @Inject(CONTACTS_API) private readonly contacts: ContactsApi,
    private readonly sessions: SessionTracker,
    private readonly groups: MessageGrouper,
  ) {}

  async handle(batch: readonly OutboxMessage[]): Promise<void> {
    for (const message of batch) {
      const event = asChannelsMessage(message);
      if (event?.type !== 'channel.message_received' || !event.projectId) continue;
      await this.record(event.tenantId, event.projectId, event.data);
    }
  }

  private async record(tenantId: string, projectId: string, m: ChannelMessageReceived): Promise<void> {
    if (m.isStatusBroadcast) return;
    await this.pendingAcks.lock(m.channelId, m.waMessageId);
    if (await this.messages.find({ channelId: m.channelId, externalId: m.externalId, waMessageId: m.waMessageId })) return;
    if (m.fromMe && (await this.matchEcho(m))) return;
    // The contact of a direct chat is the counterpart whichever way the message went; in a group, the member who
    // wrote (none for our own messages).
    const person = m.isGroup ? (m.fromMe ? undefined : m.sender) : (m.counterpart ?? (m.fromMe ? undefined : m.sender));
    const contactId = await this.contactOf(projectId, person);
    const chat = await this.chatOf(tenantId, projectId, m, m.isGroup ? null : contactId);
    const replyTo =
      m.replyToWaMessageId !== undefined
        ? await this.messages.find({ channelId: m.channelId, externalId: m.replyToExternalId, waMessageId: m.replyToWaMessageId })
        : null;
    const direction = m.fromMe ? 'outbound' : 'inbound';
    const sentAt = new Date(m.sentAt);
    const id = newId();
    // Sessions are conversations with a contact: direct chats with a known contact only; the contact's inbound
    // messages of a session form message groups.
    let sessionId: string | null = null;
    let messageGroupId: string | null = null;
    if (!m.isGroup && contactId) {
      const where = { tenantId, projectId, contactId, channelId: m.channelId, chatId: chat.id };
      sessionId = await this.sessions.track({ ...where, direction, at: sentAt });
      if (direction === 'inbound') messageGroupId = await this.groups.add({ ...where, sessionId, messageId: id, at: sentAt });
    }
    if (m.attribution && contactId && direction === 'inbound') {
      await this.contacts.recordFirstTouch({ projectId, contactId, attribution: { ...m.attribution, at: m.sentAt } });
    }
    const recorded = Message.record({
      id,
      tenantId,
      projectId,
      chatId: chat.id,
      channelId: m.channelId,
      contactId,
      sessionId,
      messageGroupId,
      direction,
      type: m.type,
      text: m.text,
      media: m.media ?? null,
      location: m.location ?? null,
      contacts: m.contacts ?? null,
      externalId: m.externalId,
      waMessageId: m.waMessageId,
      replyToMessageId: replyTo?.id ?? null,
      attribution: m.attribution ?? null,
      sentAt,
    });
    // Reports that overtook their message apply now, still never backwards.
    for (const status of await this.pendingAcks.take(m.channelId, m.waMessageId)) recorded.report(status);
    await this.messages.save(recorded);
  }

  /**
   * WAHA echoes our own API sends back as `fromMe` messages, sometimes before the send's answer (with the ids) is
   * stored: such an echo belongs to the oldest pending outbound message of its chat with the same text, which it
   * marks sent with its ids, instead of becoming a second message.
   */
  private async matchEcho(m: ChannelMessageReceived): Promise<boolean> {
    const chat = await this.chats.findByExternalId(m.channelId, m.chatExternalId);
    if (!chat) return false;
    const pending = await this.messages.findPendingEcho(chat.id, m.text, new Date(Date.now() - ECHO_WINDOW_MS));
    if (!pending) return false;
    pending.markSent(m.externalId, m.waMessageId, new Date(m.sentAt));
    for (const status of await this.pendingAcks.take(m.channelId, m.waMessageId)) pending.report(status);
    await this.messages.save(pending);
    return true;
  }

  /**
   * The person's contact, created with their push name when new: by their WhatsApp LID when the engine gives one
   * (with the phone too when known, which links both to one contact), else by their phone.
   */
  private async contactOf(projectId: string, person: ChannelParticipant | undefined): Promise<string | null> {
    if (person?.lid) {
      const { contactId } = await this.contacts.findOrCreateByIdentity({
        projectId,
        kind: 'whatsapp_lid',
        value: person.lid,
        name: person.pushName,
        phone: person.phone,
      });
      return contactId;
    }
    if (!person?.phone) return null;
    try {
      const { contactId } = await this.contacts.findOrCreateByPhone({ projectId, phone: person.phone, name: person.pushName });
      return contactId;
    } catch (error) {
      // a number the contacts context refuses must not block the conversation
      if (error instanceof DomainError && error.code === 'contact.invalid_phone') return null;
      throw error;
    }
  }

  private async chatOf(tenantId: string, projectId: string, m: ChannelMessageReceived, contactId: string | null): Promise<Chat> {
    const existing = await this.chats.findByExternalId(m.channelId, m.chatExternalId);
    if (existing) return existing;
    const chat = Chat.open({
      id: newId(),
      tenantId,
      projectId,
      channelId: m.channelId,
      externalId: m.chatExternalId,
      type: m.isGroup ? 'group' : 'direct',
      contactId,
    });
    await this.chats.save(chat);
    return chat;
  }
}
