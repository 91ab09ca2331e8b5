import { ContactState } from './contact';

export interface StoredContactEvent {
  sequence: number;
  type: string;
  data: Record<string, unknown>;
  occurredAt: Date;
}

/** Rebuilds a contact's state by folding its stored events onto a snapshot (or onto nothing, from creation). */
export function replayContact(
  identity: Pick<ContactState, 'id' | 'tenantId' | 'projectId'>,
  base: ContactState | null,
  events: readonly StoredContactEvent[],
): ContactState | null {
  let state = base;
  for (const event of events) {
    switch (event.type) {
      case 'contact.created':
        state = { ...(event.data as unknown as ContactState), ...identity, version: event.sequence, deletedAt: null };
        break;
      case 'contact.updated':
        if (state) state = { ...state, ...(event.data.changes as Partial<ContactState>), version: event.sequence };
        break;
      case 'contact.deleted':
        if (state) state = { ...state, deletedAt: event.occurredAt, version: event.sequence };
        break;
      case 'contact.restored':
        if (state) state = { ...state, deletedAt: null, version: event.sequence };
        break;
    }
  }
  return state;
}
