import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { CONTACTS_API, ContactsApi } from '../../contacts/contacts.api';
import { NotesErrors } from '../notes.errors';
import { assertContact } from './note.commands';
import { NOTE_READ_MODEL, NoteReadModel, NoteView } from './notes.read-models';

export class ListNotesQuery extends Query<Page<NoteView>> {
  constructor(
    readonly projectId: string,
    readonly contactId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/** A live contact's notes, pinned first, then newest. */
@QueryHandler(ListNotesQuery)
export class ListNotesHandler implements IQueryHandler<ListNotesQuery> {
  constructor(
    @Inject(NOTE_READ_MODEL) private readonly notes: NoteReadModel,
    @Inject(CONTACTS_API) private readonly contacts: ContactsApi,
  ) {}

  async execute({ projectId, contactId, limit, cursor }: ListNotesQuery): Promise<Page<NoteView>> {
    await assertContact(this.contacts, projectId, contactId);
    return toPage(await this.notes.list(contactId, limit + 1, decodeCursor(cursor)), limit, (n) => n);
  }
}

export class GetNoteQuery extends Query<NoteView> {
  constructor(
    readonly projectId: string,
    readonly contactId: string,
    readonly id: string,
  ) {
    super();
  }
}

@QueryHandler(GetNoteQuery)
export class GetNoteHandler implements IQueryHandler<GetNoteQuery> {
  constructor(
    @Inject(NOTE_READ_MODEL) private readonly notes: NoteReadModel,
    @Inject(CONTACTS_API) private readonly contacts: ContactsApi,
  ) {}

  async execute({ projectId, contactId, id }: GetNoteQuery): Promise<NoteView> {
    await assertContact(this.contacts, projectId, contactId);
    const note = await this.notes.get(projectId, contactId, id);
    if (!note) throw NotesErrors.notFound('note', id);
    return note;
  }
}
