import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, assertExpectedVersion } from '#kernel';
import { TimerScheduler } from '#timers/timer-scheduler';
import { ConversationsErrors } from '../conversations.errors';
import {
  AGENT_REPOSITORY,
  AgentRepository,
  SESSION_ASSIGNMENT_LOG,
  SESSION_REPOSITORY,
  SessionAssignmentLog,
  SessionRepository,
} from '../domain/conversations.repositories';
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

export class AssignSessionCommand extends Command<SessionView> {
  constructor(
    readonly scope: { tenantId: string; projectId: string },
    readonly id: string,
    readonly agentId: string,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

/**
 * Gives an active session to an agent of the project and records the assignment (closing the previous one) in
 * `agent_sessions`, in the session's transaction. Assigning it to the agent it already has changes nothing.
 */
@CommandHandler(AssignSessionCommand)
export class AssignSessionHandler implements ICommandHandler<AssignSessionCommand> {
  constructor(
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
    @Inject(AGENT_REPOSITORY) private readonly agents: AgentRepository,
    @Inject(SESSION_ASSIGNMENT_LOG) private readonly assignments: SessionAssignmentLog,
    @Inject(SESSION_READ_MODEL) private readonly reads: SessionReadModel,
  ) {}

  async execute({ scope, id, agentId, expected }: AssignSessionCommand): Promise<SessionView> {
    const { projectId } = scope;
    const session = await this.sessions.findById(id);
    if (!session || session.snapshot.projectId !== projectId) throw ConversationsErrors.notFound('session', id);
    assertExpectedVersion('session', session.version, expected);
    const agent = await this.agents.findById(projectId, agentId);
    if (!agent) throw ConversationsErrors.notFound('agent', agentId);
    if (!agent.canWork) throw ConversationsErrors.agentInactive(agentId);
    const at = new Date();
    if (session.assign(agentId, at)) {
      await this.sessions.save(session, expected);
      await this.assignments.reassign({ ...scope, sessionId: id, agentId, at });
    }
    const view = await this.reads.getSession(projectId, id);
    if (!view) throw ConversationsErrors.notFound('session', id);
    return view;
  }
}
