import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChangeNoteHandler, CreateNoteHandler } from './application/note.commands';
import { GetNoteHandler, ListNotesHandler } from './application/note.queries';
import { NOTE_READ_MODEL } from './application/notes.read-models';
import { NotesApiService } from './application/notes-api.service';
import { NOTE_REPOSITORY } from './domain/notes.repositories';
import { NotesController } from './http/notes.controller';
import { NoteEntity } from './infrastructure/note.entity';
import { TypeormNoteRepository } from './infrastructure/typeorm-note.repository';
import { TypeormNoteReadModel } from './infrastructure/typeorm-notes.read-model';
import { NOTES_API } from './notes.api';

@Module({
  imports: [TypeOrmModule.forFeature([NoteEntity])],
  controllers: [NotesController],
  providers: [
    { provide: NOTE_REPOSITORY, useClass: TypeormNoteRepository },
    { provide: NOTE_READ_MODEL, useClass: TypeormNoteReadModel },
    { provide: NOTES_API, useClass: NotesApiService },
    CreateNoteHandler,
    ChangeNoteHandler,
    ListNotesHandler,
    GetNoteHandler,
  ],
  exports: [NOTES_API],
})
export class NotesModule {}
