import { AggregateRoot } from '#kernel';
import { ContactsErrors } from '../contacts.errors';
import { CONTACTS_EVENT_VERSIONS, ContactEvents, FirstTouchAttribution } from '../contacts.events';
import { normalizeEmail, normalizePhone, normalizeTags, validHttpUrl, validLanguage, validTimezone } from './contact-values';

export interface ContactState {
  id: string;
  tenantId: string;
  projectId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  sourceChannel: string | null;
  language: string | null;
  timezone: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
  profilePictureUrl: string | null;
  /** The ad (or other source) that first brought the contact; set once, never overwritten. */
  firstTouch: FirstTouchAttribution | null;
  version: number;
  deletedAt: Date | null;
}

export type ContactFields = Partial<Omit<ContactState, 'id' | 'tenantId' | 'projectId' | 'version' | 'deletedAt' | 'firstTouch'>>;

const EDITABLE: (keyof ContactFields)[] = [
  'name',
  'email',
  'phone',
  'externalId',
  'sourceChannel',
  'language',
  'timezone',
  'tags',
  'customFields',
  'profilePictureUrl',
];

/** A person the project talks to. Every change is one event, which the event store and the timeline replay. */
export class Contact extends AggregateRoot<ContactEvents> {
  private constructor(private state: ContactState) {
    super(state.id, state.version);
  }

  static create(ids: Pick<ContactState, 'id' | 'tenantId' | 'projectId'>, fields: ContactFields): Contact {
    const contact = new Contact({
      ...ids,
      name: null,
      email: null,
      phone: null,
      externalId: null,
      sourceChannel: null,
      language: null,
      timezone: null,
      tags: [],
      customFields: {},
      profilePictureUrl: null,
      firstTouch: null,
      version: 0,
      deletedAt: null,
    });
    contact.state = assertIdentifiable({ ...contact.state, ...normalize(fields, {}) });
    const { id: _id, tenantId: _t, projectId: _p, version: _v, deletedAt: _d, firstTouch: _f, ...created } = contact.state;
    contact.emit('contact.created', created);
    return contact;
  }

  static restore(state: ContactState): Contact {
    return new Contact(state);
  }

  get snapshot(): Readonly<ContactState> {
    return { ...this.state, version: this.version };
  }

  get isDeleted(): boolean {
    return this.state.deletedAt !== null;
  }

  update(fields: ContactFields): void {
    if (this.isDeleted) throw ContactsErrors.contactDeleted();
    const next = normalize(fields, this.state.customFields);
    const changes: ContactFields = {};
    for (const key of EDITABLE) {
      if (key in next && JSON.stringify(next[key]) !== JSON.stringify(this.state[key]))
        (changes as Record<string, unknown>)[key] = next[key];
    }
    if (Object.keys(changes).length === 0) return;
    // Checked before assigning: a rejected change leaves the aggregate as it was.
    this.state = assertIdentifiable({ ...this.state, ...changes });
    this.emit('contact.updated', { changes });
  }

  delete(): void {
    if (this.isDeleted) throw ContactsErrors.contactAlreadyDeleted();
    // The instant of the event, so that replaying the stream (which knows only the event) gives the same deletedAt.
    const event = this.emit('contact.deleted', {});
    this.state = { ...this.state, deletedAt: event.occurredAt };
  }

  undelete(): void {
    if (!this.isDeleted) throw ContactsErrors.contactNotDeleted();
    this.state = { ...this.state, deletedAt: null };
    this.emit('contact.restored', {});
  }

  /** Adds tags the contact does not carry yet (an update of `tags`, so one `contact.updated` event). */
  addTags(tags: readonly string[]): void {
    this.update({ tags: [...this.state.tags, ...tags] });
  }

  /** Removes the tags the contact carries (one `contact.updated` when any was there). */
  removeTags(tags: readonly string[]): void {
    const drop = new Set(normalizeTags(tags));
    this.update({ tags: this.state.tags.filter((t) => !drop.has(t)) });
  }

  /** Sets where the contact first came from, unless it is already known (the first touch is never overwritten). */
  recordFirstTouch(attribution: FirstTouchAttribution): void {
    if (this.isDeleted) throw ContactsErrors.contactDeleted();
    if (this.state.firstTouch) return;
    this.state = { ...this.state, firstTouch: attribution };
    this.emit('contact.first_touch_recorded', { attribution });
  }

  protected readonly aggregateType = 'contact';

  protected eventVersionOf(type: keyof ContactEvents): number {
    return CONTACTS_EVENT_VERSIONS[type];
  }

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}

function assertIdentifiable(state: ContactState): ContactState {
  if (!state.name && !state.email && !state.phone && !state.externalId) {
    throw ContactsErrors.identityRequired();
  }
  return state;
}

/**
 * Normalises the given fields (undefined = not given, null = clear); custom fields merge into `current` and a
 * null value removes the key.
 */
function normalize(fields: ContactFields, current: Record<string, unknown>): ContactFields {
  const out = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as ContactFields;
  if ('name' in out) out.name = out.name?.trim() || null;
  if ('email' in out) out.email = normalizeEmail(out.email);
  if ('phone' in out) out.phone = normalizePhone(out.phone);
  if ('language' in out) out.language = validLanguage(out.language);
  if ('timezone' in out) out.timezone = validTimezone(out.timezone);
  if ('profilePictureUrl' in out) out.profilePictureUrl = validHttpUrl('profilePictureUrl', out.profilePictureUrl);
  if ('tags' in out) out.tags = normalizeTags(out.tags ?? []);
  if ('customFields' in out) {
    const merged: Record<string, unknown> = { ...current, ...(out.customFields ?? {}) };
    for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
    out.customFields = merged;
  }
  return out;
}
