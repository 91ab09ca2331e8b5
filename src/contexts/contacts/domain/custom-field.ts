import { AggregateRoot } from '#kernel';
import { ContactsErrors } from '../contacts.errors';
import { CONTACTS_EVENT_VERSIONS, CustomFieldEvents, CustomFieldType } from '../contacts.events';
import { isReservedKey } from './contact-values';

export interface CustomFieldState {
  id: string;
  tenantId: string;
  projectId: string;
  key: string;
  label: string;
  type: CustomFieldType;
  version: number;
  deletedAt: Date | null;
}

const KEY = /^[a-zA-Z][\w-]{0,63}$/;

/** A custom field definition: contacts of the project may carry a value of `type` under `key`. */
export class CustomField extends AggregateRoot<CustomFieldEvents> {
  private constructor(private state: CustomFieldState) {
    super(state.id, state.version);
  }

  static define(fields: Omit<CustomFieldState, 'version' | 'deletedAt'>): CustomField {
    if (isReservedKey(fields.key)) throw ContactsErrors.reservedFieldKey(fields.key);
    if (!KEY.test(fields.key)) throw ContactsErrors.invalidFieldKey(fields.key);
    const field = new CustomField({ ...fields, label: validLabel(fields.label), version: 0, deletedAt: null });
    field.emit('contact_custom_field.defined', { key: field.state.key, label: field.state.label, type: field.state.type });
    return field;
  }

  static restore(state: CustomFieldState): CustomField {
    return new CustomField(state);
  }

  get snapshot(): Readonly<CustomFieldState> {
    return { ...this.state, version: this.version };
  }

  /** Always a new version, even with the same label: a relabel is an explicit act the caller sees acknowledged. */
  relabel(label: string): void {
    this.state = { ...this.state, label: validLabel(label) };
    this.emit('contact_custom_field.relabeled', { key: this.state.key, label: this.state.label });
  }

  /** Soft delete: values stay on contacts, and the key can be defined again. */
  delete(): void {
    const event = this.emit('contact_custom_field.deleted', { key: this.state.key });
    this.state = { ...this.state, deletedAt: event.occurredAt };
  }

  protected readonly aggregateType = 'contact_custom_field';

  protected eventVersionOf(type: keyof CustomFieldEvents): number {
    return CONTACTS_EVENT_VERSIONS[type];
  }

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}

function validLabel(label: string): string {
  const trimmed = label.trim();
  if (!trimmed) throw ContactsErrors.fieldLabelRequired();
  return trimmed;
}
