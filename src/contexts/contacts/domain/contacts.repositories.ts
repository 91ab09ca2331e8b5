import type { ExpectedVersion } from '#kernel';
import type { WriteStamps } from '#persistence/compare-and-swap';
import type { Contact, ContactState } from './contact';
import type { ContactList } from './contact-list';
import type { CustomFieldDefinition } from './contact-values';

/** Port: contacts of the current tenant and project scope (RLS hides every other tenant). */
export interface ContactRepository {
  findById(projectId: string, id: string, options?: { withDeleted?: boolean }): Promise<Contact | null>;
  /**
   * Saves the contact, its outbox events and its event-store entries (with a snapshot every few versions).
   * Returns the row's timestamps, or undefined when there was nothing to save.
   */
  save(contact: Contact, expected?: ExpectedVersion): Promise<WriteStamps | undefined>;
  /** The contact as it was at `version`, rebuilt from the nearest snapshot and the stored events. */
  stateAt(projectId: string, id: string, version: number): Promise<ContactState | null>;
}

export interface ContactListRepository {
  findById(projectId: string, id: string, options?: { withDeleted?: boolean }): Promise<ContactList | null>;
  save(list: ContactList, expected?: ExpectedVersion): Promise<void>;
}

export interface CustomFieldRepository {
  definitions(projectId: string): Promise<CustomFieldDefinition[]>;
}

export const CONTACT_REPOSITORY = Symbol('ContactRepository');
export const CONTACT_LIST_REPOSITORY = Symbol('ContactListRepository');
export const CUSTOM_FIELD_REPOSITORY = Symbol('CustomFieldRepository');
