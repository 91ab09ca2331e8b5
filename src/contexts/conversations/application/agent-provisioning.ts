import { Inject, Injectable } from '@nestjs/common';
import { newId } from '#kernel';
import { IDENTITY_API, IdentityApi } from '../../identity/identity.api';
import { Agent, SYSTEM_AGENT_NAMES, SystemAgentName } from '../domain/agent';
import { AGENT_REPOSITORY, AgentRepository } from '../domain/conversations.repositories';

export interface AgentsScope {
  tenantId: string;
  projectId: string;
}

/**
 * Finds, or creates once, the agents every project and member has: the system agents and a member's human agent
 * (named after the user). The provisioning consumer calls it when a project or a membership appears; a send that
 * comes before the consumer ran calls it too, so the sending agent always exists.
 */
@Injectable()
export class AgentProvisioning {
  constructor(
    @Inject(AGENT_REPOSITORY) private readonly agents: AgentRepository,
    @Inject(IDENTITY_API) private readonly identity: IdentityApi,
  ) {}

  async systemAgent(scope: AgentsScope, name: SystemAgentName): Promise<Agent> {
    await this.agents.lockProvisioning(scope.projectId, `system:${name}`);
    const existing = await this.agents.findSystem(scope.projectId, name);
    if (existing) return existing;
    const agent = Agent.create({ ...scope, id: newId(), type: 'system', name, email: null, userId: null, config: {} });
    await this.agents.save(agent);
    return agent;
  }

  async systemAgents(scope: AgentsScope): Promise<void> {
    for (const name of SYSTEM_AGENT_NAMES) await this.systemAgent(scope, name);
  }

  /** The member's agent (a deleted one stays theirs); undefined when the user is not a member of the project. */
  async memberAgent(scope: AgentsScope, userId: string): Promise<Agent | undefined> {
    await this.agents.lockProvisioning(scope.projectId, `user:${userId}`);
    const existing = await this.agents.findByUser(scope.projectId, userId);
    if (existing) return existing;
    const member = await this.identity.memberProfile(scope.projectId, userId);
    if (!member) return undefined;
    const agent = Agent.create({ ...scope, id: newId(), type: 'human', name: member.name, email: member.email, userId, config: {} });
    await this.agents.save(agent);
    return agent;
  }
}
