import { Injectable } from '@nestjs/common';
import { IsNull, MoreThan, Not } from 'typeorm';
import { TransactionRunner } from '#persistence/transaction-runner';
import { AgentFilter, AgentReadModel, AgentView } from '../application/agent.ports';
import { AgentEntity } from './conversation.entities';

const agentView = ({ tenantId: _t, projectId: _p, deletedAt, ...row }: AgentEntity): AgentView => ({
  ...row,
  deletedAt: deletedAt ?? null,
});

@Injectable()
export class TypeormAgentReadModel implements AgentReadModel {
  constructor(private readonly tx: TransactionRunner) {}

  async listAgents(projectId: string, filter: AgentFilter, take: number, after?: string): Promise<AgentView[]> {
    const rows = await this.tx.manager.find(AgentEntity, {
      where: {
        projectId,
        deletedAt: filter.deleted ? Not(IsNull()) : IsNull(),
        ...(filter.type ? { type: filter.type } : {}),
        ...(filter.active !== undefined ? { active: filter.active } : {}),
        ...(after ? { id: MoreThan(after) } : {}),
      },
      withDeleted: filter.deleted,
      order: { id: 'ASC' },
      take,
    });
    return rows.map(agentView);
  }

  async getAgent(projectId: string, id: string): Promise<AgentView | null> {
    const row = await this.tx.manager.findOne(AgentEntity, { where: { id, projectId } });
    return row ? agentView(row) : null;
  }
}
