import { Inject } from '@nestjs/common';
import { newId } from '#kernel';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { AGENT_DIRECTORY, AgentDirectory, SYSTEM_AGENT_NAMES } from '../domain/agents';

/**
 * Seeds a new project's system agents and gives each new member (registration's first admin included) a human
 * agent. Replays and re-added members change nothing: the directory ensures, it never duplicates.
 */
@Consumer()
export class AgentProvisioningConsumer implements OutboxConsumer {
  readonly name = 'conversations.agent_provisioning';
  readonly eventTypes = ['project.created', 'project_member.added'];

  constructor(@Inject(AGENT_DIRECTORY) private readonly agents: AgentDirectory) {}

  async handle(batch: readonly OutboxMessage[]): Promise<void> {
    for (const message of batch) {
      const projectId = message.type === 'project.created' ? message.aggregateId : message.projectId;
      if (!projectId) continue;
      const base = { tenantId: message.tenantId, projectId };
      if (message.type === 'project.created') {
        for (const name of SYSTEM_AGENT_NAMES) await this.agents.ensure({ ...base, id: newId(), type: 'system', name, userId: null });
        continue;
      }
      const userId = message.data.userId;
      // identity shares no user names with other contexts yet: the member's agent is named by its role until renamed
      if (typeof userId !== 'string') continue;
      await this.agents.ensure({ ...base, id: newId(), type: 'human', name: `Member (${String(message.data.role)})`, userId });
    }
  }
}
