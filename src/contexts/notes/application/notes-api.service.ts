import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { TransactionRunner } from '#persistence/transaction-runner';
import { RequestContext } from '#tenancy';
import { NotesApi } from '../notes.api';
import { CreateNoteCommand, NotesScope } from './note.commands';

/** The notes port for other contexts: the same command as the HTTP route, in the caller's tenant, written by the system. */
@Injectable()
export class NotesApiService implements NotesApi {
  constructor(
    private readonly commands: CommandBus,
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
  ) {}

  async createNote(input: { projectId: string; contactId: string; text: string; pinned?: boolean }): Promise<{ noteId: string }> {
    const command = new CreateNoteCommand(this.scope(input.projectId), input.contactId, input.text, input.pinned ?? false);
    const { id } = await this.tx.run(() => this.commands.execute(command));
    return { noteId: id };
  }

  /** The caller's tenant: RLS would hide every row without it, so a call outside any tenant is a programming error. */
  private scope(projectId: string): NotesScope {
    const tenantId = this.context.tenantId;
    if (!tenantId) throw new Error('NotesApi needs a tenant context (a request, or TransactionRunner.runAsTenant)');
    return { tenantId, projectId };
  }
}
