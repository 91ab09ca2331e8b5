import { Inject } from '@nestjs/common';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { NotesMessage, asNotesMessage } from '../../notes/notes.events';
import { PipelinesMessage, asPipelinesMessage } from '../../pipelines/pipelines.events';
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

/**
 * Fills each contact's timeline (`contact_events`) from its domain events, delivered by the outbox relay: its own
 * and its lists', its moves through pipelines (`contact.*` of the pipelines context) and its notes.
 */
@Consumer()
export class ContactTimelineConsumer implements OutboxConsumer {
  readonly name = 'contacts.timeline';
  readonly eventTypes = ['contact.*', 'contact_list.contact_added', 'contact_list.contact_removed', 'note.*'];

  constructor(@Inject(CONTACT_READ_MODEL) private readonly contacts: ContactReadModel) {}

  async handle(messages: readonly OutboxMessage[]): Promise<void> {
    const rows = messages.flatMap((message) => {
      const contacts = asContactsMessage(message);
      const pipelines = asPipelinesMessage(message);
      const notes = asNotesMessage(message);
      const entry = contacts ? this.entry(contacts) : pipelines ? pipelineEntry(pipelines) : notes ? noteEntry(notes) : undefined;
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

/** A contact's move through a pipeline, or undefined for an event about the pipeline itself. */
function pipelineEntry(e: PipelinesMessage): NewTimelineEntry | undefined {
  let title: string;
  switch (e.type) {
    case 'contact.entered_pipeline':
      title = `Entered a pipeline in ${e.data.to.name}`;
      break;
    case 'contact.pipeline_status_changed':
      title = `Moved from ${e.data.from.name} to ${e.data.to.name}`;
      break;
    default:
      return undefined;
  }
  return { ...common(e, e.data.contactId), eventType: e.type, category: 'pipelines', title, payload: e.data };
}

const NOTE_TITLES: Record<NotesMessage['type'], string> = {
  'note.created': 'Note added',
  'note.updated': 'Note changed',
  'note.deleted': 'Note deleted',
};

function noteEntry(e: NotesMessage): NewTimelineEntry {
  const text = e.type === 'note.created' ? e.data.text : e.type === 'note.updated' ? e.data.changes.text : undefined;
  return {
    ...common(e, e.data.contactId),
    eventType: e.type,
    category: 'notes',
    title: text ? `${NOTE_TITLES[e.type]}: ${text.slice(0, 80)}` : NOTE_TITLES[e.type],
    payload: { noteId: e.aggregateId, ...e.data },
  };
}

function common(e: PipelinesMessage | NotesMessage, contactId: string) {
  return {
    tenantId: e.tenantId,
    projectId: e.projectId,
    contactId,
    eventId: e.eventId,
    source: e.metadata.actorId ? ('api' as const) : ('system' as const),
    triggeredBy: e.metadata.actorId ?? null,
    occurredAt: new Date(e.occurredAt),
  };
}
