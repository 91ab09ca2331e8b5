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
  version: number;
}

export type NewMessage = Omit<MessageState, 'status' | 'reactions' | 'editedAt' | 'revokedAt' | 'version'>;

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
    const message = new Message({ ...fields, status, reactions: {}, editedAt: null, revokedAt: null, version: 0 });
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
