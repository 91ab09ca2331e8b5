import { Notes1764000013500 } from '#migrations/1764000013500-notes';
import type { BoundedContext } from '#platform/bounded-context';
import { NoteEntity } from './infrastructure/note.entity';
import { TypeormNoteRepository } from './infrastructure/typeorm-note.repository';
import { NotesModule } from './notes.module';

export const NOTES_CONTEXT: BoundedContext = {
  name: 'notes',
  module: NotesModule,
  entities: [NoteEntity],
  repositories: [{ entity: NoteEntity, adapter: TypeormNoteRepository }],
  migrations: [Notes1764000013500],
};
