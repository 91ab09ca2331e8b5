import { Inject } from '@nestjs/common';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { EVENT_TRIGGERS } from '../domain/automation-catalog';
import { Automation } from '../domain/automation';
import { AUTOMATION_REPOSITORY, AutomationRepository } from '../domain/automations.repositories';
import { AutomationRunner } from './automation-runner';
import { ContactMemo } from './event-facts';
import { triggerEventOf } from './trigger-event';

/**
 * The engine: for each event of a trigger type, every enabled automation of the event's project with that trigger
 * runs once (processed_events), highest priority first, in the delivery's transaction of the event's tenant.
 */
@Consumer()
export class AutomationEngineConsumer implements OutboxConsumer {
  readonly name = 'automations.engine';
  readonly eventTypes = EVENT_TRIGGERS.map((t) => t.trigger);

  constructor(
    @Inject(AUTOMATION_REPOSITORY) private readonly automations: AutomationRepository,
    private readonly runner: AutomationRunner,
  ) {}

  async handle(batch: readonly OutboxMessage[]): Promise<void> {
    // One look-up per project and batch: a burst of events costs one query, not one per event.
    const byProject = new Map<string, Automation[]>();
    for (const message of batch) {
      const projectId = message.projectId;
      if (!projectId) continue;
      let automations = byProject.get(projectId);
      if (!automations) {
        const types = [...new Set(batch.filter((m) => m.projectId === projectId).map((m) => m.type))];
        automations = await this.automations.triggeredBy(projectId, types);
        byProject.set(projectId, automations);
      }
      const event = triggerEventOf({ ...message, projectId });
      const memo: ContactMemo = {};
      for (const automation of automations) {
        const trigger = automation.definition.trigger;
        if ('event' in trigger && trigger.event === message.type) await this.runner.run(automation, event, memo);
      }
    }
  }
}
