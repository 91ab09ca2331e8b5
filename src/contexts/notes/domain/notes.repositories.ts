import type { ExpectedVersion } from '#kernel';
import type { Note } from './note';

/** Port: notes of the current tenant (RLS hides every other tenant). */
export interface NoteRepository {
  /** A live note of the contact. */
  find(projectId: string, contactId: string, id: string): Promise<Note | null>;
  save(note: Note, expected?: ExpectedVersion): Promise<void>;
}

export const NOTE_REPOSITORY = Symbol('NoteRepository');
