import { Inject, Injectable } from '@nestjs/common';
import { CONTACTS_API, ContactSummary, ContactsApi } from '../../contacts/contacts.api';
import { PIPELINES_API, PipelinesApi } from '../../pipelines/pipelines.api';
import { ConditionGroup } from '../automations.events';
import { FIELDS } from '../domain/automation-catalog';
import { FactReader, fieldsOf } from '../domain/conditions';
import { TriggerEvent } from './trigger-event';

/**
 * What the conditions of an event's automations read of its contact: loaded once, and again only after an
 * automation's actions may have changed it (so a later automation sees what an earlier one did).
 */
export interface ContactMemo {
  contact?: Promise<ContactSummary | undefined>;
  /** Status name by pipeline id. */
  statuses?: Map<string, Promise<string | undefined>>;
}

/** Drops what the memo knows of the contact: an automation acted on it. */
export function forgetContact(memo: ContactMemo): void {
  delete memo.contact;
  delete memo.statuses;
}

/** Loads what the conditions of an automation read (the contact only when one of them needs it) and reads it. */
@Injectable()
export class EventFacts {
  constructor(
    @Inject(CONTACTS_API) private readonly contacts: ContactsApi,
    @Inject(PIPELINES_API) private readonly pipelines: PipelinesApi,
  ) {}

  async load(conditions: ConditionGroup, event: TriggerEvent, memo: ContactMemo = {}): Promise<FactReader> {
    const fields = fieldsOf(conditions);
    const { contactId, projectId } = event;
    let contact: ContactSummary | undefined;
    const statuses = new Map<string, string | undefined>();
    if (contactId && fields.some((f) => FIELDS.find((e) => e.pattern.test(f))?.contact && !f.startsWith('pipelines.'))) {
      memo.contact ??= this.contacts.getContact({ projectId, contactId });
      contact = await memo.contact;
    }
    for (const field of fields.filter((f) => f.startsWith('pipelines.'))) {
      const pipelineId = field.split('.')[1];
      if (!contactId || statuses.has(pipelineId)) continue;
      memo.statuses ??= new Map();
      if (!memo.statuses.has(pipelineId))
        memo.statuses.set(
          pipelineId,
          this.pipelines.currentStatus({ projectId, contactId, pipelineId }).then((s) => s?.statusName),
        );
      statuses.set(pipelineId, await memo.statuses.get(pipelineId));
    }
    return (field) => (field.startsWith('pipelines.') ? statuses.get(field.split('.')[1]) : read(field, event, contact));
  }
}

function read(field: string, event: TriggerEvent, contact: ContactSummary | undefined): unknown {
  const [head, ...rest] = field.split('.');
  switch (head) {
    case 'event':
      return rest[0] === 'type' && rest.length === 1 ? event.type : pathOf(event.data, rest);
    case 'message':
      return event.type.startsWith('message.') ? event.data.text : undefined;
    case 'customFields':
      return contact?.customFields[rest.join('.')];
    case 'tags':
    case 'name':
    case 'email':
    case 'phone':
    case 'language':
      return contact?.[head];
    default:
      return undefined;
  }
}

function pathOf(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
