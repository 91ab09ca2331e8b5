import { Inject } from '@nestjs/common';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { ContactsEventType, ContactsMessage, asContactsMessage } from '../contacts.events';
import { CONTACT_READ_MODEL, ContactReadModel, NewTimelineEntry } from './contacts.read-models';

const TITLES: ReadonlyMap<ContactsEventType, string> = new Map<ContactsEventType, string>([
  ['contact.created', 'Contact created'],
  ['contact.updated', 'Contact updated'],
  ['contact.deleted', 'Contact deleted'],
  ['contact.restored', 'Contact restored'],
  ['contact.first_touch_recorded', 'First touch recorded'],
  ['contact_list.contact_added', 'Added to a list'],
  ['contact_list.contact_removed', 'Removed from a list'],
]);

/** Fills each contact's timeline (`contact_events`) from its domain events, delivered by the outbox relay. */
@Consumer()
export class ContactTimelineConsumer implements OutboxConsumer {
  readonly name = 'contacts.timeline';
  readonly eventTypes = ['contact.*', 'contact_list.contact_added', 'contact_list.contact_removed'];

  constructor(@Inject(CONTACT_READ_MODEL) private readonly contacts: ContactReadModel) {}

  async handle(messages: readonly OutboxMessage[]): Promise<void> {
    const rows = messages.flatMap((message) => {
      const event = asContactsMessage(message);
      const entry = event && this.entry(event);
      return entry ? [entry] : [];
    });
    await this.contacts.appendTimeline(rows);
  }

  /** The timeline entry of an event, or undefined for an event that concerns no contact's timeline. */
  private entry(e: ContactsMessage): NewTimelineEntry | undefined {
    let contactId: string;
    let payload: object;
    let changes: string[] = [];
    switch (e.type) {
      case 'contact.created':
      case 'contact.deleted':
      case 'contact.restored':
      case 'contact.first_touch_recorded':
        [contactId, payload] = [e.aggregateId, e.data];
        break;
      case 'contact.updated':
        [contactId, payload, changes] = [e.aggregateId, e.data, Object.keys(e.data.changes ?? {})];
        break;
      case 'contact_list.contact_added':
      case 'contact_list.contact_removed':
        [contactId, payload] = [e.data.contactId, { listId: e.aggregateId, ...e.data }];
        break;
      default:
        return undefined;
    }
    return {
      tenantId: e.tenantId,
      projectId: e.projectId,
      contactId,
      eventId: e.eventId,
      eventType: e.type,
      category: e.aggregateType === 'contact_list' ? 'lists' : 'lifecycle',
      title: `${TITLES.get(e.type) ?? e.type}${changes.length ? `: ${changes.join(', ')}` : ''}`,
      payload,
      source: e.metadata.actorId ? 'api' : 'system',
      triggeredBy: e.metadata.actorId ?? null,
      occurredAt: new Date(e.occurredAt),
    };
  }
}
