import { AggregateRoot } from '#kernel';
import type { MessageDirection } from '../../channels/channels.events';
import { ConversationsErrors } from '../conversations.errors';
import { CONVERSATIONS_EVENT_VERSIONS, SessionEndReason, SessionEvents } from '../conversations.events';

export type SessionStatus = 'active' | 'ended';

export interface SessionState {
  id: string;
  tenantId: string;
  projectId: string;
  contactId: string;
  channelId: string;
  chatId: string;
  status: SessionStatus;
  startedAt: Date;
  lastMessageAt: Date;
  endedAt: Date | null;
  endReason: SessionEndReason | null;
  inboundCount: number;
  outboundCount: number;
  /** The first outbound message after the contact's first inbound one. */
  firstResponseAt: Date | null;
  /** Idle minutes after which the session ends: fixed when it starts (the channel's, else the project's). */
  timeoutMinutes: number;
  /** The agent working it (the last assignment); null until it is assigned. */
  agentId: string | null;
  version: number;
}

/**
 * A conversation with one contact on one channel: one active at a time; it ends after `timeoutMinutes` without a
 * message (a durable timer, or the next message if that comes first).
 */
export class Session extends AggregateRoot<SessionEvents> {
  /** Counted a message: a change of state without an event, saved by compare-and-swap all the same. */
  private touched = false;

  private constructor(private state: SessionState) {
    super(state.id, state.version);
  }

  get isTouched(): boolean {
    return this.touched;
  }

  commit() {
    this.touched = false;
    return super.commit();
  }

  static start(
    fields: Pick<SessionState, 'id' | 'tenantId' | 'projectId' | 'contactId' | 'channelId' | 'chatId' | 'timeoutMinutes'>,
    at: Date,
  ): Session {
    const session = new Session({
      ...fields,
      status: 'active',
      startedAt: at,
      lastMessageAt: at,
      endedAt: null,
      endReason: null,
      inboundCount: 0,
      outboundCount: 0,
      firstResponseAt: null,
      agentId: null,
      version: 0,
    });
    session.emit('session.started', {
      contactId: fields.contactId,
      channelId: fields.channelId,
      chatId: fields.chatId,
      startedAt: at.toISOString(),
      timeoutMinutes: fields.timeoutMinutes,
    });
    return session;
  }

  static restore(state: SessionState): Session {
    return new Session(state);
  }

  get snapshot(): Readonly<SessionState> {
    return this.state;
  }

  get isActive(): boolean {
    return this.state.status === 'active';
  }

  /** When it times out if nothing more is said. */
  get idleUntil(): Date {
    return new Date(this.state.lastMessageAt.getTime() + this.state.timeoutMinutes * 60_000);
  }

  /** Whether a message at `at` comes after the timeout (it then belongs to a new session). */
  expiredAt(at: Date): boolean {
    return at.getTime() > this.idleUntil.getTime();
  }

  /** Counts a message; a late one (sent before the last) does not move `lastMessageAt` back. */
  count(direction: MessageDirection, at: Date): void {
    const s = this.state;
    const inbound = direction === 'inbound';
    this.state = {
      ...s,
      lastMessageAt: at > s.lastMessageAt ? at : s.lastMessageAt,
      inboundCount: s.inboundCount + (inbound ? 1 : 0),
      outboundCount: s.outboundCount + (inbound ? 0 : 1),
      firstResponseAt: !inbound && s.firstResponseAt === null && s.inboundCount > 0 ? at : s.firstResponseAt,
    };
    this.touched = true;
  }

  /** Gives it to `agentId` (an active session only); the same agent again changes nothing. */
  assign(agentId: string, at: Date): boolean {
    if (!this.isActive) throw ConversationsErrors.sessionEnded(this.id);
    const s = this.state;
    if (s.agentId === agentId) return false;
    this.emit('session.assigned', {
      contactId: s.contactId,
      channelId: s.channelId,
      chatId: s.chatId,
      agentId,
      previousAgentId: s.agentId,
      assignedAt: at.toISOString(),
    });
    this.state = { ...s, agentId };
    return true;
  }

  /** Ends at the moment it timed out (not when that was noticed); a `manual` end at `at`, when it was closed. */
  end(reason: SessionEndReason, at?: Date): void {
    if (!this.isActive) return;
    const endedAt = reason === 'manual' && at ? at : this.idleUntil;
    this.state = { ...this.state, status: 'ended', endedAt, endReason: reason };
    const s = this.state;
    this.emit('session.ended', {
      contactId: s.contactId,
      channelId: s.channelId,
      chatId: s.chatId,
      reason,
      startedAt: s.startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      inboundCount: s.inboundCount,
      outboundCount: s.outboundCount,
      firstResponseSeconds: s.firstResponseAt ? Math.round((s.firstResponseAt.getTime() - s.startedAt.getTime()) / 1000) : null,
    });
  }

  protected readonly aggregateType = 'session';

  protected eventVersionOf(type: keyof SessionEvents): number {
    return CONVERSATIONS_EVENT_VERSIONS[type];
  }

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}
