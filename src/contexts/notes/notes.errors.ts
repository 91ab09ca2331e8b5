import { DomainError, NotFoundError, ValidationError } from '#kernel';

/* Every error code the notes context answers with: part of the published contract. */

export type NotesResource = 'note' | 'contact';

export const NotesErrors = {
  notFound: (resource: NotesResource, id?: string) => new NotFoundError(resource, id),
  textRequired: () => new ValidationError('note.text_required', 'A note needs some text', { field: 'text' }),
  noteDeleted: () => new DomainError('conflict', 'note.deleted', 'A deleted note cannot be changed'),
} as const;
