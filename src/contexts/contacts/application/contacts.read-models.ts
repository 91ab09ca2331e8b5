import type { NotesEventType } from '../../notes/notes.events';
import type { PipelinesEventType } from '../../pipelines/pipelines.events';
import type { ContactsEventType } from '../contacts.events';
import type { CustomFieldType } from '../contacts.events';
import type { ContactRecord } from './contact.views';

/*
 * Ports of the read side: what the query handlers (and the timeline consumer) need from storage, as views.
 * Infrastructure implements them with hand-written SQL; every call runs in the current tenant-scoped transaction.
 * List methods take `limit + 1` and an `after` id (keyset pagination), and return rows in page order.
 */

export interface ContactSearch {
  q?: string;
  tag?: string;
  /** A value already typed as its field's type. */
  customField?: { key: string; value: unknown };
  deleted?: boolean;
}

/** An entry of a contact's timeline. */
export interface TimelineEntryView {
  id: string;
  type: string;
  category: string;
  title: string;
  payload: object;
  source: string;
  triggeredBy: string | null;
  eventId: string;
  occurredAt: Date;
}

/** A timeline entry to write (the consumer's output). */
export interface NewTimelineEntry {
  tenantId: string;
  projectId: string | null;
  contactId: string;
  eventId: string;
  eventType:
    | ContactsEventType
    | PipelinesEventType
    | NotesEventType
    | 'message.received'
    | 'message.recorded'
    | 'session.started'
    | 'session.ended'
    | 'session.assigned';
  category: 'lifecycle' | 'lists' | 'messages' | 'conversations' | 'pipelines' | 'notes';
  title: string;
  payload: object;
  /** `api` or `system` for the contact's own changes, `channel` for what came through a messaging channel. */
  source: 'api' | 'system' | 'channel';
  triggeredBy: string | null;
  occurredAt: Date;
}

export interface ContactReadModel {
  /** Newest first. */
  search(projectId: string, search: ContactSearch, take: number, before?: string): Promise<ContactRecord[]>;
  /** A live contact. */
  get(projectId: string, id: string): Promise<ContactRecord | null>;
  /** Whether the contact exists, deleted or not. */
  exists(projectId: string, id: string): Promise<boolean>;
  /** Oldest first. */
  timeline(contactId: string, take: number, after?: string): Promise<TimelineEntryView[]>;
  appendTimeline(entries: readonly NewTimelineEntry[]): Promise<void>;
}

/** A contact list as the API shows it, with its count of live members. */
export interface ContactListView {
  id: string;
  name: string;
  description: string | null;
  contactCount: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export interface ContactListReadModel {
  /** Live lists, oldest first. */
  list(projectId: string, take: number, after?: string): Promise<ContactListView[]>;
  /** A live list. */
  get(projectId: string, id: string): Promise<ContactListView | null>;
  /** The live contacts of a list, oldest first. */
  members(listId: string, take: number, after?: string): Promise<ContactRecord[]>;
}

/** A custom field definition as the API shows it. */
export interface CustomFieldView {
  id: string;
  key: string;
  label: string;
  type: CustomFieldType;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CustomFieldReadModel {
  /** Every live custom field of the project, by key. */
  list(projectId: string): Promise<CustomFieldView[]>;
}

export const CONTACT_READ_MODEL = Symbol('ContactReadModel');
export const CONTACT_LIST_READ_MODEL = Symbol('ContactListReadModel');
export const CUSTOM_FIELD_READ_MODEL = Symbol('CustomFieldReadModel');
