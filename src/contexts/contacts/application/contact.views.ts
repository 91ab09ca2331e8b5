import type { WriteStamps } from '../domain/contacts.repositories';
import type { ContactState } from '../domain/contact';

/** A contact as a command leaves it: its state, and its timestamps when the command wrote it. */
export type ContactRecord = Readonly<ContactState> & Partial<WriteStamps>;

/** The API's view of a contact: its state without the tenancy keys, with its timestamps when known. */
export type ContactView = Omit<ContactState, 'tenantId' | 'projectId'> & { createdAt?: Date; updatedAt?: Date };

export function toContactView(record: ContactRecord): ContactView {
  const { tenantId: _tenantId, projectId: _projectId, createdAt, updatedAt, ...fields } = record;
  return { ...fields, createdAt, updatedAt };
}

/** The tenant and project a command acts in: a request's principal, or a caller of the contacts API. */
export interface ContactsScope {
  readonly tenantId: string;
  readonly projectId: string;
}
