import { AggregateRoot } from '#kernel';
import { CONVERSATIONS_EVENT_VERSIONS, MessageGroupEvents } from '../conversations.events';

export type MessageGroupStatus = 'pending' | 'completed';

export interface MessageGroupState {
  id: string;
  tenantId: string;
  projectId: string;
  contactId: string;
  chatId: string;
  channelId: string;
  sessionId: string;
  status: MessageGroupStatus;
  /** In the order they were recorded. */
  messageIds: string[];
  firstMessageAt: Date;
  lastMessageAt: Date;
  /** The channel's debounce when the group opened. */
  debounceMs: number;
  /** When the window closes if no message comes: the last message + debounceMs. */
  expiresAt: Date;
  completedAt: Date | null;
  version: number;
}

/**
 * A contact's inbound messages on a channel within `debounceMs` of each other, in one session: each message
 * extends the window; when it closes (a durable timer, or a message after it) the group completes, once.
 */
export class MessageGroup extends AggregateRoot<MessageGroupEvents> {
  /** Took a message: a change of state without an event, saved by compare-and-swap all the same. */
  private touched = false;

  private constructor(private state: MessageGroupState) {
    super(state.id, state.version);
  }

  static open(
    fields: Pick<MessageGroupState, 'id' | 'tenantId' | 'projectId' | 'contactId' | 'chatId' | 'channelId' | 'sessionId' | 'debounceMs'>,
    messageId: string,
    at: Date,
  ): MessageGroup {
    const group = new MessageGroup({
      ...fields,
      status: 'pending',
      messageIds: [messageId],
      firstMessageAt: at,
      lastMessageAt: at,
      expiresAt: new Date(at.getTime() + fields.debounceMs),
      completedAt: null,
      version: 0,
    });
    group.emit('message_group.started', {
      contactId: fields.contactId,
      chatId: fields.chatId,
      channelId: fields.channelId,
      sessionId: fields.sessionId,
      firstMessageAt: at.toISOString(),
      debounceMs: fields.debounceMs,
    });
    return group;
  }

  static restore(state: MessageGroupState): MessageGroup {
    return new MessageGroup(state);
  }

  get snapshot(): Readonly<MessageGroupState> {
    return this.state;
  }

  get isTouched(): boolean {
    return this.touched;
  }

  commit() {
    this.touched = false;
    return super.commit();
  }

  get isPending(): boolean {
    return this.state.status === 'pending';
  }

  /** Whether the window has closed by `at` (a message at `at` then belongs to a new group). */
  closedBy(at: Date): boolean {
    return at.getTime() > this.state.expiresAt.getTime();
  }

  /** Whether a message of `sessionId` at `at` joins this group: still pending, same session, within the window. */
  accepts(sessionId: string, at: Date): boolean {
    return this.isPending && sessionId === this.state.sessionId && !this.closedBy(at);
  }

  /** Takes a message and extends the window to debounceMs after the latest one (a late message moves nothing back). */
  add(messageId: string, at: Date): void {
    const s = this.state;
    if (!this.isPending || s.messageIds.includes(messageId)) return;
    const lastMessageAt = at > s.lastMessageAt ? at : s.lastMessageAt;
    this.state = {
      ...s,
      messageIds: [...s.messageIds, messageId],
      firstMessageAt: at < s.firstMessageAt ? at : s.firstMessageAt,
      lastMessageAt,
      expiresAt: new Date(lastMessageAt.getTime() + s.debounceMs),
    };
    this.touched = true;
  }

  /**
   * Closes the group, once: at the moment its window closed (not when that was noticed), or at `at` when a
   * message of a new session closes it earlier.
   */
  complete(at?: Date): void {
    if (!this.isPending) return;
    const s = this.state;
    const completedAt = at && at < s.expiresAt ? at : s.expiresAt;
    this.state = { ...s, status: 'completed', completedAt };
    this.emit('message_group.completed', {
      groupId: s.id,
      contactId: s.contactId,
      chatId: s.chatId,
      channelId: s.channelId,
      sessionId: s.sessionId,
      messageIds: s.messageIds,
      messageCount: s.messageIds.length,
      firstMessageAt: s.firstMessageAt.toISOString(),
      lastMessageAt: s.lastMessageAt.toISOString(),
      completedAt: completedAt.toISOString(),
    });
  }

  protected readonly aggregateType = 'message_group';

  protected eventVersionOf(type: keyof MessageGroupEvents): number {
    return CONVERSATIONS_EVENT_VERSIONS[type];
  }

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}
