import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ActionOutcome, AutomationExecution, statusOf } from '../domain/automation-execution';
import { ExecutionRepository } from '../domain/automations.repositories';
import { AutomationExecutionEntity } from './automation.entities';

@Injectable()
export class TypeormExecutionRepository implements ExecutionRepository {
  constructor(private readonly tx: TransactionRunner) {}

  async insert(execution: AutomationExecution): Promise<void> {
    await this.tx.manager.insert(AutomationExecutionEntity, execution);
  }

  async settleAction(executionId: string, outcome: ActionOutcome): Promise<void> {
    // Locked: two delayed actions of one run settling at once must not overwrite each other's outcome.
    const row = await this.tx.manager.findOne(AutomationExecutionEntity, {
      where: { id: executionId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!row) return;
    const actions = row.actions.map((a) => (a.index === outcome.index ? outcome : a));
    await this.tx.manager.update(AutomationExecutionEntity, { id: executionId }, { actions, status: statusOf(actions) });
  }
}
