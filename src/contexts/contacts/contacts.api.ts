/*
 * What other contexts may call synchronously in the contacts context (everything else they learn from
 * contacts.events.ts). Calls join the caller's transaction when there is one (else open one), act in the tenant
 * of the caller's context under RLS, and raise the same events as the HTTP API. Each call names its project: a
 * caller acting on an event (not a request) has no principal to take it from.
 */

import type { ContactIdentityKind, FirstTouchAttribution } from './contacts.events';

/** A live contact as other contexts see it. */
export interface ContactSummary {
  contactId: string;
  name: string | null;
  /** Lower-cased. */
  email: string | null;
  /** E.164. */
  phone: string | null;
  tags: string[];
  /** BCP 47. */
  language: string | null;
  /** IANA. */
  timezone: string | null;
  /** Values by key, as the contact carries them. */
  customFields: Record<string, unknown>;
}

export interface ContactsApi {
  /**
   * The live contact with this phone (E.164, or any international spelling), else a new one with `name`.
   * Concurrent calls for one phone make one contact. An invalid phone throws `contact.invalid_phone`.
   */
  findOrCreateByPhone(input: { projectId: string; phone: string; name?: string }): Promise<{ contactId: string; created: boolean }>;
  /**
   * The live contact holding this identity, else the live contact with `phone` (which then gets the identity),
   * else a new one (named `name`, else by the identity while it has no phone). A `phone` that comes after the
   * identity joins its contact unless another contact has it; a phone the contacts context refuses is ignored.
   * Concurrent calls for one identity or phone make one contact. A bad kind or value throws
   * `contact.invalid_identity`.
   */
  findOrCreateByIdentity(input: {
    projectId: string;
    kind: ContactIdentityKind;
    value: string;
    name?: string;
    phone?: string;
  }): Promise<{ contactId: string; created: boolean }>;
  /**
   * Sets the contact's first-touch attribution (one `contact.first_touch_recorded`) when it has none; one already
   * set is never overwritten. A missing contact throws `contact.not_found`, a deleted one `contact.deleted`.
   */
  recordFirstTouch(input: { projectId: string; contactId: string; attribution: FirstTouchAttribution }): Promise<void>;
  /** The live contact, or undefined when there is none (deleted, another project, another tenant). */
  getContact(input: { projectId: string; contactId: string }): Promise<ContactSummary | undefined>;
  /** Adds tags to a live contact (one `contact.updated` when any is new); a missing contact throws `contact.not_found`. */
  addTags(input: { projectId: string; contactId: string; tags: readonly string[] }): Promise<void>;
  /** Removes tags from a live contact (one `contact.updated` when it carried any); a missing contact throws `contact.not_found`. */
  removeTags(input: { projectId: string; contactId: string; tags: readonly string[] }): Promise<void>;
  /**
   * Sets one custom field (null removes it) of a live contact, as PATCH /contacts/:id would: an undefined key or a
   * value its type cannot hold throws `contact.invalid_custom_fields`, a missing contact `contact.not_found`.
   */
  setCustomField(input: { projectId: string; contactId: string; key: string; value: unknown }): Promise<void>;
  /**
   * Adds a live contact to a list (a member already changes nothing); a missing list throws
   * `contact_list.not_found`, a missing contact `contact_list.unknown_contacts`.
   */
  addToList(input: { projectId: string; contactId: string; listId: string }): Promise<void>;
}

/** Nest token of the ContactsApi provider, exported by ContactsModule. */
export const CONTACTS_API = Symbol('ContactsApi');
