import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { AgentProvisioning } from './agent-provisioning';

/**
 * Seeds a new project's system agents and gives each new member (registration's first admin included) a human
 * agent named after them. Replays and re-added members change nothing: provisioning finds before it creates.
 */
@Consumer()
export class AgentProvisioningConsumer implements OutboxConsumer {
  readonly name = 'conversations.agent_provisioning';
  readonly eventTypes = ['project.created', 'project_member.added'];

  constructor(private readonly provisioning: AgentProvisioning) {}

  async handle(batch: readonly OutboxMessage[]): Promise<void> {
    for (const message of batch) {
      const projectId = message.type === 'project.created' ? message.aggregateId : message.projectId;
      if (!projectId) continue;
      const scope = { tenantId: message.tenantId, projectId };
      if (message.type === 'project.created') await this.provisioning.systemAgents(scope);
      else if (typeof message.data.userId === 'string') await this.provisioning.memberAgent(scope, message.data.userId);
    }
  }
}
