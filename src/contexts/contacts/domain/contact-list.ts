import { AggregateRoot, DomainError, ValidationError } from '#kernel';

export interface ContactListState {
  id: string;
  tenantId: string;
  projectId: string;
  name: string;
  description: string | null;
  version: number;
  deletedAt: Date | null;
}

/** A named, static set of contacts (membership lives beside it and is changed with add/remove events). */
export class ContactList extends AggregateRoot {
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
    if (this.isDeleted) throw new DomainError('conflict', 'contact_list.deleted', 'A deleted list cannot be changed; restore it first');
    const next = { ...changes, ...(changes.name !== undefined ? { name: validName(changes.name) } : {}) };
    const changed = Object.fromEntries(
      Object.entries(next).filter(([k, v]) => v !== undefined && v !== this.state[k as keyof ContactListState]),
    );
    if (Object.keys(changed).length === 0) return;
    this.state = { ...this.state, ...changed };
    this.emit('contact_list.updated', { changes: changed });
  }

  delete(): void {
    if (this.isDeleted) throw new DomainError('conflict', 'contact_list.already_deleted', 'The list is already deleted');
    this.state = { ...this.state, deletedAt: new Date() };
    this.emit('contact_list.deleted', {});
  }

  undelete(): void {
    if (!this.isDeleted) throw new DomainError('conflict', 'contact_list.not_deleted', 'The list is not deleted');
    this.state = { ...this.state, deletedAt: null };
    this.emit('contact_list.restored', {});
  }

  protected readonly aggregateType = 'contact_list';

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}

function validName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new ValidationError('contact_list.name_required', 'A list needs a name');
  return trimmed;
}
