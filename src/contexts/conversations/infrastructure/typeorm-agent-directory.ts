import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '#persistence/transaction-runner';
import { AgentDirectory, NewAgent } from '../domain/agents';

@Injectable()
export class TypeormAgentDirectory implements AgentDirectory {
  constructor(private readonly tx: TransactionRunner) {}

  async ensure(agent: NewAgent): Promise<void> {
    // the partial unique indexes (a member's agent per user, a system agent per name) make a repeat a no-op
    await this.tx.manager.query(
      `INSERT INTO agents (id, tenant_id, project_id, type, name, user_id, active) VALUES ($1, $2, $3, $4, $5, $6, true)
       ON CONFLICT DO NOTHING`,
      [agent.id, agent.tenantId, agent.projectId, agent.type, agent.name, agent.userId],
    );
  }
}
