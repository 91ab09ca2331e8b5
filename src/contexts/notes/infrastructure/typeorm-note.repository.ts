import { Injectable } from '@nestjs/common';
import { ExpectedVersion } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Note } from '../domain/note';
import { NoteRepository } from '../domain/notes.repositories';
import { NoteEntity } from './note.entity';

@Injectable()
export class TypeormNoteRepository implements NoteRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async find(projectId: string, contactId: string, id: string): Promise<Note | null> {
    const row = await this.tx.manager.findOne(NoteEntity, { where: { id, projectId, contactId } });
    return row
      ? Note.restore({
          id: row.id,
          tenantId: row.tenantId,
          projectId: row.projectId,
          contactId: row.contactId,
          text: row.text,
          pinned: row.pinned,
          authorId: row.authorId,
          version: row.version,
          deletedAt: row.deletedAt ?? null,
        })
      : null;
  }

  async save(note: Note, expected?: ExpectedVersion): Promise<void> {
    const { version: _v, ...row } = note.snapshot;
    await this.store.save(note, NoteEntity, row, 'note', { expected });
  }
}
