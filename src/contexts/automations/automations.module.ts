import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AutomationActions } from './application/automation-actions';
import { GetAutomationCatalogHandler } from './application/automation-catalog.query';
import { AutomationEngineConsumer } from './application/automation-engine.consumer';
import { AutomationRunner } from './application/automation-runner';
import { AutomationSchedules } from './application/automation-schedules';
import { AutomationTimersConsumer } from './application/automation-timers.consumer';
import { ChangeAutomationHandler, CreateAutomationHandler } from './application/automation.commands';
import { GetAutomationHandler, ListAutomationsHandler, ListExecutionsHandler } from './application/automation.queries';
import { AUTOMATION_READ_MODEL } from './application/automations.ports';
import { EventFacts } from './application/event-facts';
import { TestAutomationHandler } from './application/test-automation.query';
import { AUTOMATION_REPOSITORY, EXECUTION_REPOSITORY } from './domain/automations.repositories';
import { AutomationsController } from './http/automations.controller';
import { AUTOMATIONS_ENTITIES } from './infrastructure/automation.entities';
import { TypeormAutomationReadModel } from './infrastructure/typeorm-automation.read-model';
import { TypeormAutomationRepository } from './infrastructure/typeorm-automation.repository';
import { TypeormExecutionRepository } from './infrastructure/typeorm-execution.repository';

@Module({
  imports: [TypeOrmModule.forFeature(AUTOMATIONS_ENTITIES)],
  controllers: [AutomationsController],
  providers: [
    { provide: AUTOMATION_REPOSITORY, useClass: TypeormAutomationRepository },
    { provide: EXECUTION_REPOSITORY, useClass: TypeormExecutionRepository },
    { provide: AUTOMATION_READ_MODEL, useClass: TypeormAutomationReadModel },
    CreateAutomationHandler,
    ChangeAutomationHandler,
    ListAutomationsHandler,
    GetAutomationHandler,
    ListExecutionsHandler,
    GetAutomationCatalogHandler,
    TestAutomationHandler,
    AutomationActions,
    AutomationRunner,
    AutomationSchedules,
    EventFacts,
    AutomationEngineConsumer,
    AutomationTimersConsumer,
  ],
})
export class AutomationsModule {}
