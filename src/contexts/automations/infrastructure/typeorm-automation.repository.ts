import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { ExpectedVersion } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { TransactionRunner } from '#persistence/transaction-runner';
import { AutomationTrigger } from '../automations.events';
import { Automation } from '../domain/automation';
import { AutomationRepository } from '../domain/automations.repositories';
import { AutomationEntity } from './automation.entities';

@Injectable()
export class TypeormAutomationRepository implements AutomationRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async findById(projectId: string, id: string, options: { withDeleted?: boolean } = {}): Promise<Automation | null> {
    const row = await this.tx.manager.findOne(AutomationEntity, { where: { id, projectId }, withDeleted: options.withDeleted });
    return row ? toAutomation(row) : null;
  }

  async triggeredBy(projectId: string, eventTypes: readonly string[]): Promise<Automation[]> {
    const rows = await this.tx.manager.find(AutomationEntity, {
      where: { projectId, enabled: true, triggerEvent: In([...eventTypes]) },
      order: { priority: 'DESC', id: 'ASC' },
    });
    return rows.map(toAutomation);
  }

  async save(automation: Automation, expected?: ExpectedVersion): Promise<void> {
    const { version: _v, trigger, ...state } = automation.snapshot;
    await this.store.save(automation, AutomationEntity, { ...state, ...triggerColumns(trigger) }, 'automation', { expected });
  }
}

export function triggerOf(row: Pick<AutomationEntity, 'triggerEvent' | 'triggerSchedule' | 'triggerTimezone'>): AutomationTrigger {
  if (row.triggerEvent) return { event: row.triggerEvent };
  return { schedule: row.triggerSchedule!, ...(row.triggerTimezone ? { timezone: row.triggerTimezone } : {}) };
}

function triggerColumns(trigger: AutomationTrigger): Pick<AutomationEntity, 'triggerEvent' | 'triggerSchedule' | 'triggerTimezone'> {
  return 'event' in trigger
    ? { triggerEvent: trigger.event, triggerSchedule: null, triggerTimezone: null }
    : { triggerEvent: null, triggerSchedule: trigger.schedule, triggerTimezone: trigger.timezone ?? null };
}

function toAutomation(row: AutomationEntity): Automation {
  return Automation.restore({
    id: row.id,
    tenantId: row.tenantId,
    projectId: row.projectId,
    name: row.name,
    description: row.description,
    enabled: row.enabled,
    priority: row.priority,
    trigger: triggerOf(row),
    conditions: row.conditions,
    actions: row.actions,
    version: row.version,
    deletedAt: row.deletedAt ?? null,
  });
}
