import { Inject, Injectable } from '@nestjs/common';
import { newId } from '#kernel';
import { TimerScheduler } from '#timers/timer-scheduler';
import type { MessageDirection } from '../../channels/channels.events';
import { CHANNELS_API, ChannelsApi } from '../../channels/channels.api';
import { IDENTITY_API, IdentityApi } from '../../identity/identity.api';
import { SESSION_REPOSITORY, SessionRepository } from '../domain/conversations.repositories';
import { Session } from '../domain/session';

export const SESSION_INACTIVITY = 'session.inactivity';
/** When neither the channel nor the project says otherwise. */
const DEFAULT_TIMEOUT_MINUTES = 30;

/**
 * Puts each message of a direct chat into its contact's session on the channel: the active one, or a new one when
 * there is none or the message comes after the timeout (which ends the old one). The session's inactivity timer
 * (durable, in the same transaction) is moved to the new idle deadline with every message. Messages of one contact
 * on one channel are tracked one at a time (until the transaction ends), whichever relay worker has them.
 */
@Injectable()
export class SessionTracker {
  constructor(
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
    @Inject(CHANNELS_API) private readonly channels: ChannelsApi,
    @Inject(IDENTITY_API) private readonly identity: IdentityApi,
    private readonly timers: TimerScheduler,
  ) {}

  async track(input: {
    tenantId: string;
    projectId: string;
    contactId: string;
    channelId: string;
    chatId: string;
    direction: MessageDirection;
    at: Date;
  }): Promise<string> {
    await this.sessions.lock(input.contactId, input.channelId);
    let session = await this.sessions.findActive(input.contactId, input.channelId);
    if (session?.expiredAt(input.at)) {
      session.end('inactivity_timeout');
      await this.sessions.save(session);
      session = null;
    }
    if (!session) {
      session = Session.start(
        {
          id: newId(),
          tenantId: input.tenantId,
          projectId: input.projectId,
          contactId: input.contactId,
          channelId: input.channelId,
          chatId: input.chatId,
          timeoutMinutes: await this.timeoutOf(input.projectId, input.channelId),
        },
        input.at,
      );
    }
    session.count(input.direction, input.at);
    await this.sessions.save(session);
    await this.timers.schedule({
      kind: SESSION_INACTIVITY,
      key: session.id,
      dueAt: session.idleUntil,
      payload: { sessionId: session.id },
      projectId: input.projectId,
    });
    return session.id;
  }

  /** The channel's session timeout, else the project's, else 30 minutes. */
  private async timeoutOf(projectId: string, channelId: string): Promise<number> {
    const channel = await this.channels.getChannel({ projectId, channelId });
    if (channel?.sessionTimeoutMinutes) return channel.sessionTimeoutMinutes;
    return (await this.identity.projectSettings(projectId))?.sessionTimeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES;
  }
}
