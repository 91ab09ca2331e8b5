import { Inject, Injectable } from '@nestjs/common';
import { CONTACTS_API, ContactSummary, ContactsApi } from '../../contacts/contacts.api';
import { ConditionGroup } from '../automations.events';
import { FIELDS } from '../domain/automation-catalog';
import { FactReader, fieldsOf } from '../domain/conditions';
import { TriggerEvent } from './trigger-event';

/**
 * The event's contact as the conditions of its automations read it: loaded once, and again only after an
 * automation's actions may have changed it (so a later automation sees what an earlier one did).
 */
export interface ContactMemo {
  contact?: Promise<ContactSummary | undefined>;
}

/** Loads what the conditions of an automation read (the contact only when one of them needs it) and reads it. */
@Injectable()
export class EventFacts {
  constructor(@Inject(CONTACTS_API) private readonly contacts: ContactsApi) {}

  async load(conditions: ConditionGroup, event: TriggerEvent, memo: ContactMemo = {}): Promise<FactReader> {
    const needsContact = fieldsOf(conditions).some((f) => FIELDS.find((e) => e.pattern.test(f))?.contact);
    let contact: ContactSummary | undefined;
    if (needsContact && event.contactId) {
      memo.contact ??= this.contacts.getContact({ projectId: event.projectId, contactId: event.contactId });
      contact = await memo.contact;
    }
    return (field) => read(field, event, contact);
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
