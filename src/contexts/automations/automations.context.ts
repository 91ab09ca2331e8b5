import { Automations1764000015000 } from '#migrations/1764000015000-automations';
import type { BoundedContext } from '#platform/bounded-context';
import { AutomationsModule } from './automations.module';
import { AUTOMATIONS_ENTITIES, AutomationEntity, AutomationExecutionEntity } from './infrastructure/automation.entities';
import { TypeormAutomationRepository } from './infrastructure/typeorm-automation.repository';
import { TypeormExecutionRepository } from './infrastructure/typeorm-execution.repository';

export const AUTOMATIONS_CONTEXT: BoundedContext = {
  name: 'automations',
  module: AutomationsModule,
  entities: AUTOMATIONS_ENTITIES,
  repositories: [
    { entity: AutomationEntity, adapter: TypeormAutomationRepository },
    { entity: AutomationExecutionEntity, adapter: TypeormExecutionRepository },
  ],
  migrations: [Automations1764000015000],
};
