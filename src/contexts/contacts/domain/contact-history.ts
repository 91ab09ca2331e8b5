import type { ContactEvents } from '../contacts.events';
import { ContactState } from './contact';

/** An event as the contact event store holds it: its position in the contact's stream and its published payload. */
export interface StoredContactEvent {
  sequence: number;
  type: string;
  data: object;
  occurredAt: Date;
}

/** A stored event read as the published contract says its type carries (the store holds only contact events). */
type Replayed = { [K in keyof ContactEvents]: { type: K; data: ContactEvents[K] } }[keyof ContactEvents];

/** Rebuilds a contact's state by folding its stored events onto a snapshot (or onto nothing, from creation). */
export function replayContact(
  identity: Pick<ContactState, 'id' | 'tenantId' | 'projectId'>,
  base: ContactState | null,
  events: readonly StoredContactEvent[],
): ContactState | null {
  // snapshots taken before first touches existed lack the field
  let state = base ? { ...base, firstTouch: base.firstTouch ?? null } : null;
  for (const event of events) {
    const e = event as Replayed;
    switch (e.type) {
      case 'contact.created':
        state = { ...e.data, ...identity, firstTouch: null, version: event.sequence, deletedAt: null };
        break;
      case 'contact.updated':
        if (state) state = { ...state, ...e.data.changes, version: event.sequence };
        break;
      case 'contact.deleted':
        if (state) state = { ...state, deletedAt: event.occurredAt, version: event.sequence };
        break;
      case 'contact.restored':
        if (state) state = { ...state, deletedAt: null, version: event.sequence };
        break;
      case 'contact.first_touch_recorded':
        if (state) state = { ...state, firstTouch: e.data.attribution, version: event.sequence };
        break;
    }
  }
  return state;
}
