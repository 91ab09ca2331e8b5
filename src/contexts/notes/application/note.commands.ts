import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, assertExpectedVersion, newId } from '#kernel';
import { CONTACTS_API, ContactsApi } from '../../contacts/contacts.api';
import { Note } from '../domain/note';
import { NOTE_REPOSITORY, NoteRepository } from '../domain/notes.repositories';
import { NotesErrors } from '../notes.errors';

export interface NotesScope {
  readonly tenantId: string;
  readonly projectId: string;
  /** The author: the signed-in user, or none for the system. */
  readonly userId?: string;
}

/** Notes are written on live contacts only; every note route answers 404 for a missing contact first. */
export async function assertContact(contacts: ContactsApi, projectId: string, contactId: string): Promise<void> {
  if (!(await contacts.getContact({ projectId, contactId }))) throw NotesErrors.notFound('contact', contactId);
}

export class CreateNoteCommand extends Command<{ id: string }> {
  constructor(
    readonly scope: NotesScope,
    readonly contactId: string,
    readonly text: string,
    readonly pinned: boolean,
  ) {
    super();
  }
}

@CommandHandler(CreateNoteCommand)
export class CreateNoteHandler implements ICommandHandler<CreateNoteCommand> {
  constructor(
    @Inject(NOTE_REPOSITORY) private readonly notes: NoteRepository,
    @Inject(CONTACTS_API) private readonly contacts: ContactsApi,
  ) {}

  async execute({ scope, contactId, text, pinned }: CreateNoteCommand): Promise<{ id: string }> {
    await assertContact(this.contacts, scope.projectId, contactId);
    const note = Note.create({
      id: newId(),
      tenantId: scope.tenantId,
      projectId: scope.projectId,
      contactId,
      text,
      pinned,
      authorId: scope.userId ?? null,
    });
    await this.notes.save(note);
    return { id: note.id };
  }
}

export type NoteChange = { kind: 'update'; text?: string; pinned?: boolean } | { kind: 'delete' };

export class ChangeNoteCommand extends Command<void> {
  constructor(
    readonly scope: NotesScope,
    readonly contactId: string,
    readonly id: string,
    readonly change: NoteChange,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

@CommandHandler(ChangeNoteCommand)
export class ChangeNoteHandler implements ICommandHandler<ChangeNoteCommand> {
  constructor(
    @Inject(NOTE_REPOSITORY) private readonly notes: NoteRepository,
    @Inject(CONTACTS_API) private readonly contacts: ContactsApi,
  ) {}

  async execute({ scope, contactId, id, change, expected }: ChangeNoteCommand): Promise<void> {
    await assertContact(this.contacts, scope.projectId, contactId);
    const note = await this.notes.find(scope.projectId, contactId, id);
    if (!note) throw NotesErrors.notFound('note', id);
    assertExpectedVersion('note', note.version, expected);
    if (change.kind === 'update') note.update(change);
    else note.delete();
    await this.notes.save(note, expected);
  }
}
