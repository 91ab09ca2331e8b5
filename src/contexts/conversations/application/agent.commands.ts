import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, assertExpectedVersion, newId } from '#kernel';
import { IDENTITY_API, IdentityApi } from '../../identity/identity.api';
import { ConversationsErrors } from '../conversations.errors';
import { Agent, AgentChanges } from '../domain/agent';
import { AGENT_REPOSITORY, AgentRepository } from '../domain/conversations.repositories';
import { AgentsScope } from './agent-provisioning';

export interface AgentInput {
  type: 'human' | 'ai' | 'bot';
  name: string;
  email?: string | null;
  /** A human agent's member (who may have no other agent in the project). */
  userId?: string | null;
  active?: boolean;
  config?: Record<string, unknown>;
}

export class CreateAgentCommand extends Command<{ id: string }> {
  constructor(
    readonly scope: AgentsScope,
    readonly input: AgentInput,
  ) {
    super();
  }
}

@CommandHandler(CreateAgentCommand)
export class CreateAgentHandler implements ICommandHandler<CreateAgentCommand> {
  constructor(
    @Inject(AGENT_REPOSITORY) private readonly agents: AgentRepository,
    @Inject(IDENTITY_API) private readonly identity: IdentityApi,
  ) {}

  async execute({ scope, input }: CreateAgentCommand): Promise<{ id: string }> {
    const userId = input.userId ?? null;
    if (userId) {
      if (input.type !== 'human') throw ConversationsErrors.agentUserNotHuman();
      await linkable(this.agents, this.identity, scope, userId);
    }
    const agent = Agent.create({
      ...scope,
      id: newId(),
      type: input.type,
      name: input.name,
      email: input.email ?? null,
      userId,
      active: input.active,
      config: input.config ?? {},
    });
    await this.agents.save(agent);
    return { id: agent.id };
  }
}

export type AgentChange = { kind: 'update'; changes: AgentChanges } | { kind: 'delete' } | { kind: 'restore' };

export class ChangeAgentCommand extends Command<{ id: string }> {
  constructor(
    readonly scope: AgentsScope,
    readonly id: string,
    readonly change: AgentChange,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

/** PATCH, soft delete and restore; a system agent refuses all three (409), whatever the version says. */
@CommandHandler(ChangeAgentCommand)
export class ChangeAgentHandler implements ICommandHandler<ChangeAgentCommand> {
  constructor(
    @Inject(AGENT_REPOSITORY) private readonly agents: AgentRepository,
    @Inject(IDENTITY_API) private readonly identity: IdentityApi,
  ) {}

  async execute({ scope, id, change, expected }: ChangeAgentCommand): Promise<{ id: string }> {
    const agent = await this.agents.findById(scope.projectId, id, { withDeleted: change.kind === 'restore' });
    if (!agent) throw ConversationsErrors.notFound('agent', id);
    if (agent.isSystem) throw ConversationsErrors.systemAgent(id);
    if (change.kind === 'restore' && !agent.isDeleted) throw ConversationsErrors.notFound('agent', id);
    assertExpectedVersion('agent', agent.version, expected);
    if (change.kind === 'update') {
      const { userId } = change.changes;
      // linking an unlinked human agent: the user must be a member without an agent (re-linking is refused by the agent)
      if (userId && agent.snapshot.userId === null && agent.snapshot.type === 'human') {
        await linkable(this.agents, this.identity, scope, userId);
      }
      agent.update(change.changes);
    } else if (change.kind === 'delete') agent.delete();
    else agent.undelete();
    await this.agents.save(agent, expected);
    return { id };
  }
}

/** A user an agent may be linked to: a member of the project who has no agent there yet. */
async function linkable(agents: AgentRepository, identity: IdentityApi, scope: AgentsScope, userId: string): Promise<void> {
  if (!(await identity.memberOfProject(scope.projectId, userId))) throw ConversationsErrors.agentUserNotMember(userId);
  await agents.lockProvisioning(scope.projectId, `user:${userId}`);
  if (await agents.findByUser(scope.projectId, userId)) throw ConversationsErrors.agentUserTaken(userId);
}
