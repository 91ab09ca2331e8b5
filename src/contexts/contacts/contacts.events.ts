import type { EventOf } from '#kernel';
import type { OutboxMessage } from '#outbox/outbox-message';

/*
 * The events the contacts context publishes: the contract its consumers (the timeline here, other contexts
 * later) rely on. Every event reaches the outbox with its type, its schema version and a payload of the type
 * below; a change to a payload that a consumer could notice needs a new schema version.
 */

/** The values a custom field may hold, by key (only keys defined for the project). */
export type CustomFieldValues = Record<string, unknown>;

/** The fields of a contact a client can set. */
export interface ContactFieldsPayload {
  name: string | null;
  /** Lower-cased. */
  email: string | null;
  /** E.164, e.g. `+14155552671`. */
  phone: string | null;
  externalId: string | null;
  sourceChannel: string | null;
  /** A BCP 47 language tag. */
  language: string | null;
  /** An IANA time zone. */
  timezone: string | null;
  /** Sorted, without duplicates. */
  tags: string[];
  customFields: CustomFieldValues;
  /** An http(s) URL. */
  profilePictureUrl: string | null;
}

/** `contact.created` (v1): a contact was created with these fields; the event store replays a contact from it. */
export type ContactCreated = ContactFieldsPayload;

/**
 * `contact.updated` (v1): the fields that changed, with their new values. `customFields` is the whole new map
 * (a removed key is absent), so a consumer never needs the previous state to apply it.
 */
export interface ContactUpdated {
  changes: Partial<ContactFieldsPayload>;
}

/** A messaging identity that finds a contact without a phone: WhatsApp's hidden id (`123456789012345@lid`). */
export type ContactIdentityKind = 'whatsapp_lid';

/** Where a contact first came from: the click-to-WhatsApp ad of the first message that carried one. */
export interface FirstTouchAttribution {
  /** e.g. `meta_ads`. */
  source: string;
  adId?: string;
  ctwaClid?: string;
  sourceUrl?: string;
  conversionSource?: string;
  /** When the touch happened (ISO 8601): the time of the message that carried it. */
  at: string;
}

/** `contact.first_touch_recorded` (v1): the contact's first-touch attribution, set once and never overwritten. */
export interface ContactFirstTouchRecorded {
  attribution: FirstTouchAttribution;
}

/** `contact.deleted` (v1): soft-deleted; the event's `occurredAt` is the contact's `deletedAt`. */
export type ContactDeleted = Record<string, never>;

/** `contact.restored` (v1): a deleted contact is live again. */
export type ContactRestored = Record<string, never>;

/** `contact_list.created` (v1). */
export interface ContactListCreated {
  name: string;
  description: string | null;
}

/** `contact_list.updated` (v1): the changed name and/or description. */
export interface ContactListUpdated {
  changes: Partial<ContactListCreated>;
}

/** `contact_list.deleted` (v1). */
export type ContactListDeleted = Record<string, never>;

/** `contact_list.restored` (v1). */
export type ContactListRestored = Record<string, never>;

/** `contact_list.contact_added` (v1): one contact joined the list (the event's aggregate). */
export interface ContactAddedToList {
  contactId: string;
}

/** `contact_list.contact_removed` (v1): one contact left the list. */
export interface ContactRemovedFromList {
  contactId: string;
}

export type CustomFieldType = 'text' | 'number' | 'boolean' | 'date';

/** `contact_custom_field.defined` (v1): contacts may now carry a value of `type` under `key`. */
export interface CustomFieldDefined {
  key: string;
  label: string;
  type: CustomFieldType;
}

/** `contact_custom_field.relabeled` (v1). */
export interface CustomFieldRelabeled {
  key: string;
  label: string;
}

/** `contact_custom_field.deleted` (v1): no new values under `key`; existing values stay on contacts. */
export interface CustomFieldDeleted {
  key: string;
}

/** Event type -> payload of the `contact` aggregate. */
export type ContactEvents = {
  'contact.created': ContactCreated;
  'contact.updated': ContactUpdated;
  'contact.deleted': ContactDeleted;
  'contact.restored': ContactRestored;
  'contact.first_touch_recorded': ContactFirstTouchRecorded;
};

/** Event type -> payload of the `contact_list` aggregate (the list and its membership). */
export type ContactListEvents = {
  'contact_list.created': ContactListCreated;
  'contact_list.updated': ContactListUpdated;
  'contact_list.deleted': ContactListDeleted;
  'contact_list.restored': ContactListRestored;
  'contact_list.contact_added': ContactAddedToList;
  'contact_list.contact_removed': ContactRemovedFromList;
};

/** Event type -> payload of the `contact_custom_field` aggregate. */
export type CustomFieldEvents = {
  'contact_custom_field.defined': CustomFieldDefined;
  'contact_custom_field.relabeled': CustomFieldRelabeled;
  'contact_custom_field.deleted': CustomFieldDeleted;
};

/** Every event type the context publishes, with its payload. */
export type ContactsEvents = ContactEvents & ContactListEvents & CustomFieldEvents;
export type ContactsEventType = keyof ContactsEvents;

/** Schema version of each published event type (what the outbox's `event_version` carries). */
export const CONTACTS_EVENT_VERSIONS: { readonly [K in ContactsEventType]: number } = {
  'contact.created': 1,
  'contact.updated': 1,
  'contact.deleted': 1,
  'contact.restored': 1,
  'contact.first_touch_recorded': 1,
  'contact_list.created': 1,
  'contact_list.updated': 1,
  'contact_list.deleted': 1,
  'contact_list.restored': 1,
  'contact_list.contact_added': 1,
  'contact_list.contact_removed': 1,
  'contact_custom_field.defined': 1,
  'contact_custom_field.relabeled': 1,
  'contact_custom_field.deleted': 1,
};

/** A domain event of the contacts context, as an aggregate raises it. */
export type ContactsDomainEvent = EventOf<ContactsEvents>;

/** A published event as a consumer receives it from the outbox: its `data` typed by its `type`. */
export type ContactsMessage = {
  [K in ContactsEventType]: Omit<OutboxMessage, 'type' | 'data'> & { readonly type: K; readonly data: ContactsEvents[K] };
}[ContactsEventType];

/** The message as a contacts event, or undefined when its type is not one the context publishes. */
export function asContactsMessage(message: OutboxMessage): ContactsMessage | undefined {
  return Object.hasOwn(CONTACTS_EVENT_VERSIONS, message.type) ? (message as unknown as ContactsMessage) : undefined;
}
