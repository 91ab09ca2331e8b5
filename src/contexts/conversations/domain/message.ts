import { AggregateRoot } from '#kernel';
import {
  AdAttribution,
  GeoLocation,
  MediaRef,
  MessageDirection,
  MessageStatus,
  MessageType,
  advanceStatus,
} from '../../channels/channels.events';
import { CONVERSATIONS_EVENT_VERSIONS, MessageEvents } from '../conversations.events';

/** The reactions on a message, by who reacted (their WhatsApp id, `me` for the channel's own account). */
export type Reactions = Record<string, { emoji: string; at: string }>;

export interface MessageState {
  id: string;
  tenantId: string;
  projectId: string;
  chatId: string;
  channelId: string;
  contactId: string | null;
  sessionId: string | null;
  /** The group of a contact's rapid inbound messages it belongs to (inbound messages of direct chats only). */
  messageGroupId: string | null;
  direction: MessageDirection;
  type: MessageType;
  text: string | null;
  media: MediaRef | null;
  location: GeoLocation | null;
  contacts: string[] | null;
  status: MessageStatus;
  /** The provider's serialised id: unique per channel, what deliveries are deduplicated on. */
  externalId: string;
  /** The bare WhatsApp id: the only form some events (edits, revokes, quotes, some acks) carry. */
  waMessageId: string;
  replyToMessageId: string | null;
  attribution: AdAttribution | null;
  reactions: Reactions;
  sentAt: Date;
  editedAt: Date | null;
  revokedAt: Date | null;
  /** The user who asked for an outbound send through the API (null for everything the provider reported). */
  sentByUserId: string | null;
  /** The agent an outbound send was made as (null for everything the provider reported). */
  sentByAgentId: string | null;
  /** Why an outbound send failed. */
  error: string | null;
  version: number;
}

export type NewMessage = Omit<
  MessageState,
  'status' | 'reactions' | 'editedAt' | 'revokedAt' | 'sentByUserId' | 'sentByAgentId' | 'error' | 'version'
>;

export type OutboundRequest = Pick<
  MessageState,
  'id' | 'tenantId' | 'projectId' | 'chatId' | 'channelId' | 'contactId' | 'type' | 'text' | 'media' | 'sentByUserId' | 'sentByAgentId'
>;

/**
 * The provider ids of an outbound message until the provider answers the send: the columns are NOT NULL and
 * unique per channel, and no provider id starts with this prefix.
 */
export const PENDING_ID_PREFIX = 'pending:';

/**
 * One WhatsApp message of a chat. Inbound messages start `delivered` (they reached us), messages written from the
 * phone start `sent`; delivery reports only ever move the status forward.
 */
export class Message extends AggregateRoot<MessageEvents> {
  private constructor(private state: MessageState) {
    super(state.id, state.version);
  }

  static record(fields: NewMessage): Message {
    const status: MessageStatus = fields.direction === 'inbound' ? 'delivered' : 'sent';
    const message = new Message({
      ...fields,
      status,
      reactions: {},
      editedAt: null,
      revokedAt: null,
      sentByUserId: null,
      sentByAgentId: null,
      error: null,
      version: 0,
    });
    message.emit(fields.direction === 'inbound' ? 'message.received' : 'message.recorded', {
      chatId: fields.chatId,
      channelId: fields.channelId,
      contactId: fields.contactId,
      direction: fields.direction,
      type: fields.type,
      text: fields.text,
      externalId: fields.externalId,
      status,
      sentAt: fields.sentAt.toISOString(),
    });
    return message;
  }

  /** A message to send through the channel: `pending` until the provider answers (`sent`) or refuses (`failed`). */
  static requestSend(fields: OutboundRequest, at: Date): Message {
    const placeholder = `${PENDING_ID_PREFIX}${fields.id}`;
    const message = new Message({
      ...fields,
      sessionId: null,
      messageGroupId: null,
      direction: 'outbound',
      location: null,
      contacts: null,
      status: 'pending',
      externalId: placeholder,
      waMessageId: placeholder,
      replyToMessageId: null,
      attribution: null,
      reactions: {},
      sentAt: at,
      editedAt: null,
      revokedAt: null,
      error: null,
      version: 0,
    });
    message.emit('message.send_requested', {
      chatId: fields.chatId,
      channelId: fields.channelId,
      contactId: fields.contactId,
      type: fields.type,
      text: fields.text,
      media: fields.media,
      sentByUserId: fields.sentByUserId,
      sentByAgentId: fields.sentByAgentId,
    });
    return message;
  }

  static restore(state: MessageState): Message {
    return new Message(state);
  }

  get snapshot(): Readonly<MessageState> {
    return this.state;
  }

  /** A delivery report: applied only when it moves the status forward (reports come late, twice, out of order). */
  report(incoming: MessageStatus): void {
    const to = advanceStatus(this.state.status, incoming);
    if (to === this.state.status) return;
    this.emit('message.status_changed', { chatId: this.state.chatId, from: this.state.status, to });
    this.state = { ...this.state, status: to };
  }

  get isPending(): boolean {
    return this.state.status === 'pending';
  }

  /** The provider accepted the send (its answer, or the echo of the message when it came first). */
  markSent(externalId: string, waMessageId: string, at: Date): void {
    if (!this.isPending) return;
    this.emit('message.sent', { chatId: this.state.chatId, externalId, waMessageId });
    this.state = { ...this.state, status: 'sent', externalId, waMessageId, sentAt: at };
  }

  /** The provider refused the send, or it kept failing until the retries ran out. */
  markFailed(reason: string): void {
    if (!this.isPending) return;
    this.emit('message.failed', { chatId: this.state.chatId, reason });
    this.state = { ...this.state, status: 'failed', error: reason };
  }

  /** `emoji` '' removes `by`'s reaction. */
  react(by: string, emoji: string, at: Date): void {
    const current = this.state.reactions[by];
    if (emoji === '' ? !current : current?.emoji === emoji) return;
    const reactions = { ...this.state.reactions };
    if (emoji === '') delete reactions[by];
    else reactions[by] = { emoji, at: at.toISOString() };
    this.emit('message.reaction_changed', { chatId: this.state.chatId, by, emoji: emoji === '' ? null : emoji });
    this.state = { ...this.state, reactions };
  }

  edit(text: string, at: Date): void {
    if (this.state.revokedAt || text === this.state.text) return;
    this.emit('message.edited', { chatId: this.state.chatId, text });
    this.state = { ...this.state, text, editedAt: at };
  }

  revoke(at: Date): void {
    if (this.state.revokedAt) return;
    this.emit('message.revoked', { chatId: this.state.chatId });
    this.state = { ...this.state, revokedAt: at };
  }

  protected readonly aggregateType = 'message';

  protected eventVersionOf(type: keyof MessageEvents): number {
    return CONVERSATIONS_EVENT_VERSIONS[type];
  }

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}
