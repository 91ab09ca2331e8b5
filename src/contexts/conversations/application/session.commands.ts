import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, assertExpectedVersion } from '#kernel';
import { TimerScheduler } from '#timers/timer-scheduler';
import { ConversationsErrors } from '../conversations.errors';
import { SESSION_REPOSITORY, SessionRepository } from '../domain/conversations.repositories';
import { SESSION_READ_MODEL, SessionReadModel, SessionView } from './session.ports';
import { SESSION_INACTIVITY } from './session-tracker';

export class CloseSessionCommand extends Command<SessionView> {
  constructor(
    readonly projectId: string,
    readonly id: string,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

/**
 * Ends an active session by hand (`manual`, now) and cancels its inactivity timer in the same transaction; the
 * contact's next message starts a new session.
 */
@CommandHandler(CloseSessionCommand)
export class CloseSessionHandler implements ICommandHandler<CloseSessionCommand> {
  constructor(
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
    @Inject(SESSION_READ_MODEL) private readonly reads: SessionReadModel,
    private readonly timers: TimerScheduler,
  ) {}

  async execute({ projectId, id, expected }: CloseSessionCommand): Promise<SessionView> {
    const session = await this.sessions.findById(id);
    // another project's session is as missing as an unknown one
    if (!session || session.snapshot.projectId !== projectId) throw ConversationsErrors.notFound('session', id);
    assertExpectedVersion('session', session.version, expected);
    if (!session.isActive) throw ConversationsErrors.sessionEnded(id);
    session.end('manual', new Date());
    await this.sessions.save(session);
    await this.timers.cancel(SESSION_INACTIVITY, id);
    const view = await this.reads.getSession(projectId, id);
    if (!view) throw ConversationsErrors.notFound('session', id);
    return view;
  }
}
