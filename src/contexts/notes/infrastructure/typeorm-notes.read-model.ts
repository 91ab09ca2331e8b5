import { Injectable } from '@nestjs/common';
import { SqlRow } from '#persistence/sql-row';
import { TransactionRunner } from '#persistence/transaction-runner';
import { NoteReadModel, NoteView } from '../application/notes.read-models';

const NOTES = `SELECT n.id, n.contact_id, n.content, n.pinned, n.author_id, n.version, n.created_at, n.updated_at FROM notes n`;

const noteView = (r: SqlRow): NoteView => ({
  id: r.id,
  contactId: r.contact_id,
  text: r.content,
  pinned: r.pinned,
  authorId: r.author_id,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

@Injectable()
export class TypeormNoteReadModel implements NoteReadModel {
  constructor(private readonly tx: TransactionRunner) {}

  /**
   * Keyset on (pinned, id) descending, served in order by idx_notes_contact: the page after a note is every note
   * below it in that order (its pinned flag read from the note itself, so the cursor stays a plain id).
   */
  async list(contactId: string, take: number, after?: string): Promise<NoteView[]> {
    const rows: SqlRow[] = await this.tx.manager.query(
      `${NOTES} WHERE n.contact_id = $1 AND n.deleted_at IS NULL
          AND ($2::uuid IS NULL OR (n.pinned, n.id) < (SELECT a.pinned, a.id FROM notes a WHERE a.id = $2))
        ORDER BY n.pinned DESC, n.id DESC LIMIT $3`,
      [contactId, after ?? null, take],
    );
    return rows.map(noteView);
  }

  async get(projectId: string, contactId: string, id: string): Promise<NoteView | null> {
    const [row]: SqlRow[] = await this.tx.manager.query(
      `${NOTES} WHERE n.id = $1 AND n.contact_id = $2 AND n.project_id = $3 AND n.deleted_at IS NULL`,
      [id, contactId, projectId],
    );
    return row ? noteView(row) : null;
  }
}
