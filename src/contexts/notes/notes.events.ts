import type { EventOf } from '#kernel';
import type { OutboxMessage } from '#outbox/outbox-message';

/*
 * The events the notes context publishes (the contact timeline, automations and webhooks consume them). Every
 * payload names its contact. A change a consumer could notice needs a new schema version.
 */

/** `note.created` (v1). */
export interface NoteCreated {
  contactId: string;
  text: string;
  pinned: boolean;
  /** The user who wrote it; null when the system did (an automation). */
  authorId: string | null;
}

/** `note.updated` (v1): the changed fields with their new values. */
export interface NoteUpdated {
  contactId: string;
  changes: Partial<Pick<NoteCreated, 'text' | 'pinned'>>;
}

/** `note.deleted` (v1): soft-deleted. */
export interface NoteDeleted {
  contactId: string;
}

export type NoteEvents = {
  'note.created': NoteCreated;
  'note.updated': NoteUpdated;
  'note.deleted': NoteDeleted;
};
export type NotesEventType = keyof NoteEvents;

export const NOTES_EVENT_VERSIONS: { readonly [K in NotesEventType]: number } = {
  'note.created': 1,
  'note.updated': 1,
  'note.deleted': 1,
};

export type NotesDomainEvent = EventOf<NoteEvents>;

export type NotesMessage = {
  [K in NotesEventType]: Omit<OutboxMessage, 'type' | 'data'> & { readonly type: K; readonly data: NoteEvents[K] };
}[NotesEventType];

/** The message as a notes event, or undefined when its type is not one the context publishes. */
export function asNotesMessage(message: OutboxMessage): NotesMessage | undefined {
  return Object.hasOwn(NOTES_EVENT_VERSIONS, message.type) ? (message as unknown as NotesMessage) : undefined;
}
