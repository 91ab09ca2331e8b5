import { Injectable } from '@nestjs/common';
import { IsNull, LessThan, MoreThan } from 'typeorm';
import { TransactionRunner } from '#persistence/transaction-runner';
import { AutomationReadModel, AutomationView, ExecutionView } from '../application/automations.ports';
import { AutomationEntity, AutomationExecutionEntity } from './automation.entities';
import { triggerOf } from './typeorm-automation.repository';

const view = (r: AutomationEntity): AutomationView => ({
  id: r.id,
  name: r.name,
  description: r.description,
  enabled: r.enabled,
  priority: r.priority,
  trigger: triggerOf(r),
  conditions: r.conditions,
  actions: r.actions,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  deletedAt: r.deletedAt ?? null,
});

@Injectable()
export class TypeormAutomationReadModel implements AutomationReadModel {
  constructor(private readonly tx: TransactionRunner) {}

  async list(projectId: string, take: number, after?: string): Promise<AutomationView[]> {
    const rows = await this.tx.manager.find(AutomationEntity, {
      where: { projectId, deletedAt: IsNull(), ...(after ? { id: MoreThan(after) } : {}) },
      order: { id: 'ASC' },
      take,
    });
    return rows.map(view);
  }

  async get(projectId: string, id: string, options: { withDeleted?: boolean } = {}): Promise<AutomationView | null> {
    const row = await this.tx.manager.findOne(AutomationEntity, { where: { id, projectId }, withDeleted: options.withDeleted });
    return row ? view(row) : null;
  }

  async executions(projectId: string, automationId: string, take: number, before?: string): Promise<ExecutionView[]> {
    const rows = await this.tx.manager.find(AutomationExecutionEntity, {
      where: { projectId, automationId, ...(before ? { id: LessThan(before) } : {}) },
      order: { id: 'DESC' },
      take,
    });
    return rows.map(({ tenantId: _t, projectId: _p, ...execution }) => execution);
  }
}
