import type { ExpectedVersion } from '#kernel';
import type { ContactIdentityKind } from '../contacts.events';
import type { Contact, ContactState } from './contact';
import type { ContactList } from './contact-list';
import type { CustomFieldDefinition } from './contact-values';
import type { CustomField } from './custom-field';

/** The timestamps the database gave a written row (so a command's result needs no read-back). */
export interface WriteStamps {
  createdAt: Date;
  updatedAt: Date;
}

/** Port: contacts of the current tenant and project scope (RLS hides every other tenant). */
export interface ContactRepository {
  findById(projectId: string, id: string, options?: { withDeleted?: boolean }): Promise<Contact | null>;
  /** The live contact with this E.164 phone. */
  findByPhone(projectId: string, phone: string): Promise<Contact | null>;
  /** The live contact that holds this messaging identity (none when its contact was deleted). */
  findByIdentity(projectId: string, kind: ContactIdentityKind, value: string): Promise<Contact | null>;
  /** Gives the identity to the contact: a new row, or the row of a deleted contact moved to this one. */
  linkIdentity(contact: Contact, kind: ContactIdentityKind, value: string): Promise<void>;
  /** Which of `ids` are live contacts of the project. */
  existingIds(projectId: string, ids: readonly string[]): Promise<Set<string>>;
  /**
   * Holds, until the transaction ends, a lock on `key` within the project: find-or-create callers of the same key
   * wait for each other instead of both creating.
   */
  lockKey(projectId: string, key: string): Promise<void>;
  /**
   * Saves the contact, its outbox events and its event-store entries (with a snapshot every few versions).
   * Returns the row's timestamps, or undefined when there was nothing to save.
   */
  save(contact: Contact, expected?: ExpectedVersion): Promise<WriteStamps | undefined>;
  /** The contact as it was at `version`, rebuilt from the nearest snapshot and the stored events. */
  stateAt(projectId: string, id: string, version: number): Promise<ContactState | null>;
}

export interface ContactListRepository {
  /** `forUpdate`: lock the list's row, so membership changes of one list run one after the other. */
  findById(projectId: string, id: string, options?: { withDeleted?: boolean; forUpdate?: boolean }): Promise<ContactList | null>;
  /** Which of `contactIds` are members of the list. */
  membersAmong(listId: string, contactIds: readonly string[]): Promise<Set<string>>;
  /** Saves the list, the membership rows its events add or remove, and its outbox events. */
  save(list: ContactList, expected?: ExpectedVersion): Promise<void>;
}

export interface CustomFieldRepository {
  definitions(projectId: string): Promise<CustomFieldDefinition[]>;
  findById(projectId: string, id: string): Promise<CustomField | null>;
  save(field: CustomField, expected?: ExpectedVersion): Promise<WriteStamps | undefined>;
}

export const CONTACT_REPOSITORY = Symbol('ContactRepository');
export const CONTACT_LIST_REPOSITORY = Symbol('ContactListRepository');
export const CUSTOM_FIELD_REPOSITORY = Symbol('CustomFieldRepository');
