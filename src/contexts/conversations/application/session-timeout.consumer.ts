import { Inject } from '@nestjs/common';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { timerEventType } from '#timers/timer-spec';
import { SESSION_REPOSITORY, SessionRepository } from '../domain/conversations.repositories';
import { SESSION_INACTIVITY } from './session-tracker';

/**
 * Ends a session when its inactivity timer fires. A fire can race a last-moment message (which moved the timer):
 * the session is ended only if it is still active and really idle now.
 */
@Consumer()
export class SessionTimeoutConsumer implements OutboxConsumer {
  readonly name = 'conversations.session_timeout';
  readonly eventTypes = [timerEventType(SESSION_INACTIVITY)];

  constructor(@Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository) {}

  async handle(batch: readonly OutboxMessage[]): Promise<void> {
    for (const message of batch) {
      const payload = message.data.payload as { sessionId?: unknown } | undefined;
      if (typeof payload?.sessionId !== 'string') continue;
      const session = await this.sessions.findById(payload.sessionId);
      if (!session?.isActive || !session.expiredAt(new Date())) continue;
      session.end('inactivity_timeout');
      await this.sessions.save(session);
    }
  }
}
