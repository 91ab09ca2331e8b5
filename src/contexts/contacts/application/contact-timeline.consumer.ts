import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { newId } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ContactTimelineEntity } from '../infrastructure/contact-timeline.entity';

const TITLES: Record<string, string> = {
  'contact.created': 'Contact created',
  'contact.updated': 'Contact updated',
  'contact.deleted': 'Contact deleted',
  'contact.restored': 'Contact restored',
  'contact_list.contact_added': 'Added to a list',
  'contact_list.contact_removed': 'Removed from a list',
};

/** Fills each contact's timeline (`contact_events`) from its domain events, delivered by the outbox relay. */
@Consumer()
export class ContactTimelineConsumer implements OutboxConsumer {
  readonly name = 'contacts.timeline';
  readonly eventTypes = ['contact.*', 'contact_list.contact_added', 'contact_list.contact_removed'];

  constructor(private readonly tx: TransactionRunner) {}

  async handle(events: readonly OutboxMessage[]): Promise<void> {
    const rows = events.map((e) => {
      const isList = e.aggregateType === 'contact_list';
      const changes = e.type === 'contact.updated' ? Object.keys((e.data.changes as object) ?? {}) : [];
      return {
        id: newId(),
        tenantId: e.tenantId,
        projectId: e.projectId,
        contactId: isList ? String(e.data.contactId) : e.aggregateId,
        eventId: e.eventId,
        eventType: e.type,
        category: isList ? 'lists' : 'lifecycle',
        title: `${TITLES[e.type] ?? e.type}${changes.length ? `: ${changes.join(', ')}` : ''}`,
        payload: isList ? { listId: e.aggregateId, ...e.data } : e.data,
        source: e.metadata.actorId ? 'api' : 'system',
        triggeredBy: e.metadata.actorId ?? null,
        occurredAt: new Date(e.occurredAt),
      };
    });
    await this.tx.manager.insert(ContactTimelineEntity, rows);
  }
}
