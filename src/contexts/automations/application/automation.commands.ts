import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, assertExpectedVersion, newId } from '#kernel';
import { AutomationsErrors } from '../automations.errors';
import { Automation, AutomationInput } from '../domain/automation';
import { AUTOMATION_REPOSITORY, AutomationRepository } from '../domain/automations.repositories';
import { AutomationSchedules } from './automation-schedules';

/** The tenant and project a command acts in (a request's principal). */
export interface AutomationsScope {
  readonly tenantId: string;
  readonly projectId: string;
}

export class CreateAutomationCommand extends Command<{ id: string }> {
  constructor(
    readonly scope: AutomationsScope,
    readonly input: AutomationInput,
  ) {
    super();
  }
}

@CommandHandler(CreateAutomationCommand)
export class CreateAutomationHandler implements ICommandHandler<CreateAutomationCommand> {
  constructor(
    @Inject(AUTOMATION_REPOSITORY) private readonly automations: AutomationRepository,
    private readonly schedules: AutomationSchedules,
  ) {}

  async execute({ scope, input }: CreateAutomationCommand): Promise<{ id: string }> {
    const automation = Automation.create({ id: newId(), tenantId: scope.tenantId, projectId: scope.projectId }, input);
    await this.automations.save(automation);
    await this.schedules.sync(automation);
    return { id: automation.id };
  }
}

export type AutomationChange = { kind: 'update'; input: Partial<AutomationInput> } | { kind: 'delete' } | { kind: 'restore' };

export class ChangeAutomationCommand extends Command<void> {
  constructor(
    readonly scope: AutomationsScope,
    readonly id: string,
    readonly change: AutomationChange,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

/** Update, soft delete or restore: load, check the expected version, change, compare-and-swap, move its schedule. */
@CommandHandler(ChangeAutomationCommand)
export class ChangeAutomationHandler implements ICommandHandler<ChangeAutomationCommand> {
  constructor(
    @Inject(AUTOMATION_REPOSITORY) private readonly automations: AutomationRepository,
    private readonly schedules: AutomationSchedules,
  ) {}

  async execute({ scope, id, change, expected }: ChangeAutomationCommand): Promise<void> {
    const automation = await this.automations.findById(scope.projectId, id, { withDeleted: change.kind === 'restore' });
    if (!automation || (change.kind === 'restore' && !automation.isDeleted)) throw AutomationsErrors.notFound(id);
    assertExpectedVersion('automation', automation.version, expected);
    if (change.kind === 'update') automation.update(change.input);
    else if (change.kind === 'delete') automation.delete();
    else automation.undelete();
    if (!automation.hasChanges) return;
    await this.automations.save(automation, expected);
    await this.schedules.sync(automation);
  }
}
