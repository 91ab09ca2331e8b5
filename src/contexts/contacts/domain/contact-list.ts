import { AggregateRoot } from '#kernel';
import { ContactsErrors } from '../contacts.errors';
import { CONTACTS_EVENT_VERSIONS, ContactListEvents } from '../contacts.events';

export interface ContactListState {
  id: string;
  tenantId: string;
  projectId: string;
  name: string;
  description: string | null;
  version: number;
  deletedAt: Date | null;
}

/**
 * A named, static set of contacts. Membership rows live beside the list, but every change to them goes through
 * the list: it raises one event per contact added or removed and moves the list to its next version, so
 * concurrent membership changes are ordered by the list's compare-and-swap.
 */
export class ContactList extends AggregateRoot<ContactListEvents> {
  private constructor(private state: ContactListState) {
    super(state.id, state.version);
  }

  static create(fields: Omit<ContactListState, 'version' | 'deletedAt'>): ContactList {
    const list = new ContactList({ ...fields, name: validName(fields.name), version: 0, deletedAt: null });
    list.emit('contact_list.created', { name: list.state.name, description: list.state.description });
    return list;
  }

  static restore(state: ContactListState): ContactList {
    return new ContactList(state);
  }

  get snapshot(): Readonly<ContactListState> {
    return { ...this.state, version: this.version };
  }

  get isDeleted(): boolean {
    return this.state.deletedAt !== null;
  }

  update(changes: { name?: string; description?: string | null }): void {
    if (this.isDeleted) throw ContactsErrors.listDeleted();
    const next = { ...changes, ...(changes.name !== undefined ? { name: validName(changes.name) } : {}) };
    const changed: { name?: string; description?: string | null } = {};
    if (next.name !== undefined && next.name !== this.state.name) changed.name = next.name;
    if (next.description !== undefined && next.description !== this.state.description) changed.description = next.description;
    if (Object.keys(changed).length === 0) return;
    this.state = { ...this.state, ...changed };
    this.emit('contact_list.updated', { changes: changed });
  }

  delete(): void {
    if (this.isDeleted) throw ContactsErrors.listAlreadyDeleted();
    this.state = { ...this.state, deletedAt: new Date() };
    this.emit('contact_list.deleted', {});
  }

  undelete(): void {
    if (!this.isDeleted) throw ContactsErrors.listNotDeleted();
    this.state = { ...this.state, deletedAt: null };
    this.emit('contact_list.restored', {});
  }

  /**
   * Adds the contacts that are not members yet (`members`: those of `contactIds` that already are), one
   * `contact_list.contact_added` each; returns them. Adding a member again changes nothing.
   */
  addContacts(contactIds: readonly string[], members: ReadonlySet<string>): string[] {
    const added = unique(contactIds).filter((id) => !members.has(id));
    for (const contactId of added) this.emit('contact_list.contact_added', { contactId });
    return added;
  }

  /** Removes the contacts that are members (`members`), one `contact_list.contact_removed` each; returns them. */
  removeContacts(contactIds: readonly string[], members: ReadonlySet<string>): string[] {
    const removed = unique(contactIds).filter((id) => members.has(id));
    for (const contactId of removed) this.emit('contact_list.contact_removed', { contactId });
    return removed;
  }

  protected readonly aggregateType = 'contact_list';

  protected eventVersionOf(type: keyof ContactListEvents): number {
    return CONTACTS_EVENT_VERSIONS[type];
  }

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function validName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw ContactsErrors.listNameRequired();
  return trimmed;
}
