/* Port of the read side: notes as the API shows them, read in the current tenant-scoped transaction. */

export interface NoteView {
  id: string;
  contactId: string;
  text: string;
  pinned: boolean;
  authorId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NoteReadModel {
  /** The contact's live notes, pinned first, then newest; `after`: the last note of the previous page. */
  list(contactId: string, take: number, after?: string): Promise<NoteView[]>;
  /** A live note of the contact. */
  get(projectId: string, contactId: string, id: string): Promise<NoteView | null>;
}

export const NOTE_READ_MODEL = Symbol('NoteReadModel');
