import { AggregateRoot } from '#kernel';
import { NOTES_EVENT_VERSIONS, NoteEvents, NoteUpdated } from '../notes.events';
import { NotesErrors } from '../notes.errors';

export interface NoteState {
  id: string;
  tenantId: string;
  projectId: string;
  contactId: string;
  text: string;
  pinned: boolean;
  authorId: string | null;
  version: number;
  deletedAt: Date | null;
}

/** A note on a contact: text a person (or an automation) wrote, optionally pinned to the top of the contact's notes. */
export class Note extends AggregateRoot<NoteEvents> {
  private constructor(private state: NoteState) {
    super(state.id, state.version);
  }

  static create(fields: Omit<NoteState, 'version' | 'deletedAt'>): Note {
    const note = new Note({ ...fields, text: validText(fields.text), version: 0, deletedAt: null });
    const { contactId, text, pinned, authorId } = note.state;
    note.emit('note.created', { contactId, text, pinned, authorId });
    return note;
  }

  static restore(state: NoteState): Note {
    return new Note(state);
  }

  get snapshot(): Readonly<NoteState> {
    return { ...this.state, version: this.version };
  }

  update(changes: { text?: string; pinned?: boolean }): void {
    if (this.state.deletedAt) throw NotesErrors.noteDeleted();
    const changed: NoteUpdated['changes'] = {};
    if (changes.text !== undefined && validText(changes.text) !== this.state.text) changed.text = validText(changes.text);
    if (changes.pinned !== undefined && changes.pinned !== this.state.pinned) changed.pinned = changes.pinned;
    if (Object.keys(changed).length === 0) return;
    this.state = { ...this.state, ...changed };
    this.emit('note.updated', { contactId: this.state.contactId, changes: changed });
  }

  delete(): void {
    if (this.state.deletedAt) throw NotesErrors.noteDeleted();
    this.state = { ...this.state, deletedAt: new Date() };
    this.emit('note.deleted', { contactId: this.state.contactId });
  }

  protected readonly aggregateType = 'note';

  protected eventVersionOf(type: keyof NoteEvents): number {
    return NOTES_EVENT_VERSIONS[type];
  }

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}

function validText(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw NotesErrors.textRequired();
  return trimmed;
}
