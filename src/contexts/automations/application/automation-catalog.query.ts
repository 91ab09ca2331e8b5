import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  ACTIONS,
  EVENT_TRIGGERS,
  FIELDS,
  MAX_DELAY_MINUTES,
  OPERATORS,
  SCHEDULE_TRIGGER,
  SCHEDULES_AVAILABLE,
} from '../domain/automation-catalog';

export interface AutomationCatalog {
  triggers: { trigger: string; description: string; hasContact: boolean }[];
  fields: { field: string; description: string; contact: boolean }[];
  operators: { op: string; description: string }[];
  actions: { type: string; description: string; contact: boolean; delayMinutes: { minimum: number; maximum: number }; params: object }[];
}

export class GetAutomationCatalogQuery extends Query<AutomationCatalog> {}

/** What an editor may offer: exactly what the definition's validation accepts. */
@QueryHandler(GetAutomationCatalogQuery)
export class GetAutomationCatalogHandler implements IQueryHandler<GetAutomationCatalogQuery> {
  execute(): Promise<AutomationCatalog> {
    return Promise.resolve({
      triggers: [...EVENT_TRIGGERS, ...(SCHEDULES_AVAILABLE ? [SCHEDULE_TRIGGER] : [])].map((t) => ({ ...t })),
      fields: FIELDS.map(({ field, description, contact }) => ({ field, description, contact })),
      operators: OPERATORS.map((o) => ({ ...o })),
      actions: ACTIONS.map((a) => ({
        type: a.type,
        description: a.description,
        contact: a.contact,
        delayMinutes: { minimum: 0, maximum: MAX_DELAY_MINUTES },
        params: { type: 'object', additionalProperties: false, required: [...a.params.required], properties: a.params.properties },
      })),
    });
  }
}
