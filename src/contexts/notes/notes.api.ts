/*
 * What other contexts may call synchronously in the notes context (everything else they learn from
 * notes.events.ts). Calls join the caller's transaction when there is one (else open one), act in the tenant of
 * the caller's context under RLS, and raise the same events as the HTTP API. Each call names its project.
 */

export interface NotesApi {
  /** Adds a note to a live contact (`note.created`); a missing contact throws `contact.not_found`. */
  createNote(input: { projectId: string; contactId: string; text: string; pinned?: boolean }): Promise<{ noteId: string }>;
}

/** Nest token of the NotesApi provider, exported by NotesModule. */
export const NOTES_API = Symbol('NotesApi');
