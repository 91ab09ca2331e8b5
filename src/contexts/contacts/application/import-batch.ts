import { DomainError, newId } from '#kernel';
import { ContactsErrors } from '../contacts.errors';
import { Contact, ContactFields, ContactState } from '../domain/contact';
import { ImportMode, RejectedRow } from '../domain/contact-import';
import { CustomFieldDefinition, normalizeEmail, normalizePhone, validateCustomFields } from '../domain/contact-values';
import { ContactsScope } from './contact.views';

/** A row of an upload, shaped like the create route's body (already checked against it), with its matching keys. */
export interface ImportRow {
  row: number;
  fields: ContactFields;
  keys: RowKeys;
}

type Key = 'externalId' | 'email' | 'phone';
export type RowKeys = Partial<Record<Key, string>>;

export type RowOutcome = 'created' | 'updated' | 'unchanged' | RejectedRow;

/**
 * Match order: a row updates the contact of its external id, else the one of its email (unless that one has another
 * external id), else the one of its phone (unless that one has another external id or email).
 */
const KEYS: readonly Key[] = ['externalId', 'email', 'phone'];
const DUPLICATE: Record<Key, () => DomainError> = {
  externalId: ContactsErrors.duplicateExternalId,
  email: ContactsErrors.duplicateEmail,
  phone: ContactsErrors.duplicatePhone,
};

/**
 * Applies the rows of one batch to the contacts they match (loaded once for the whole batch), through the
 * aggregate, so every write raises the events, and passes the checks, of the single-contact routes. A contact
 * changes at most once per batch (its events then carry one version): a row that would touch a contact again is
 * left for the next batch (`apply` answers undefined).
 */
export class ImportBatch {
  private readonly byKey: Record<Key, Map<string, Contact>> = { externalId: new Map(), email: new Map(), phone: new Map() };
  private readonly touched = new Set<Contact>();

  constructor(
    private readonly scope: ContactsScope,
    private readonly mode: ImportMode,
    private readonly definitions: readonly CustomFieldDefinition[],
    existing: readonly ContactState[],
  ) {
    for (const state of existing) this.index(Contact.restore(state));
  }

  /** The row with its keys as the contact will store them, or the create route's error for an invalid email or phone. */
  static prepare(row: number, fields: ContactFields): ImportRow | RejectedRow {
    try {
      const keys = {
        externalId: fields.externalId || undefined,
        email: normalizeEmail(fields.email) ?? undefined,
        phone: normalizePhone(fields.phone) ?? undefined,
      };
      return { row, fields, keys };
    } catch (error) {
      if (error instanceof DomainError) return { row, code: error.code, message: error.message };
      throw error;
    }
  }

  /** Every matching key of the rows, to load their contacts in one query. */
  static keysOf(rows: readonly ImportRow[]): Record<Key, string[]> {
    const keys: Record<Key, string[]> = { externalId: [], email: [], phone: [] };
    for (const row of rows) for (const key of KEYS) if (row.keys[key]) keys[key].push(row.keys[key]);
    return keys;
  }

  /** The contacts this batch created or changed, with their pending events. */
  get changed(): Contact[] {
    return [...this.touched];
  }

  apply({ row, fields, keys }: ImportRow): RowOutcome | undefined {
    try {
      const matchedBy = KEYS.find((k) => keys[k] && this.byKey[k].has(keys[k]));
      const target = matchedBy && this.byKey[matchedBy].get(keys[matchedBy]!);
      // A contact found by its email (or phone) with another external id (or email) is someone else's.
      const contradicted = target && KEYS.slice(0, KEYS.indexOf(matchedBy!)).some((k) => keys[k] && target.snapshot[k]);
      if (contradicted) throw DUPLICATE[matchedBy!]();
      if (target && this.touched.has(target)) return undefined;
      for (const key of KEYS) {
        const owner = keys[key] ? this.byKey[key].get(keys[key]) : undefined;
        if (owner && (owner !== target || this.mode === 'create_only')) throw DUPLICATE[key]();
      }
      if (fields.customFields && (target || Object.keys(fields.customFields).length > 0))
        validateCustomFields(fields.customFields, this.definitions);
      if (!target) {
        const contact = Contact.create({ id: newId(), tenantId: this.scope.tenantId, projectId: this.scope.projectId }, fields);
        this.touched.add(contact);
        this.index(contact);
        return 'created';
      }
      const before = target.snapshot;
      target.update(fields);
      if (!target.hasChanges) return 'unchanged';
      for (const key of KEYS) if (before[key]) this.byKey[key].delete(before[key]);
      this.touched.add(target);
      this.index(target);
      return 'updated';
    } catch (error) {
      if (error instanceof DomainError) return { row, code: error.code, message: error.message };
      throw error;
    }
  }

  private index(contact: Contact): void {
    const state = contact.snapshot;
    for (const key of KEYS) if (state[key]) this.byKey[key].set(state[key], contact);
  }
}
