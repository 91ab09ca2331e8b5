import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { TransactionRunner } from '#persistence/transaction-runner';
import { RequestContext } from '#tenancy';
import { ConversationsApi } from '../conversations.api';
import { ConversationsErrors } from '../conversations.errors';
import { SESSION_REPOSITORY, SessionRepository } from '../domain/conversations.repositories';
import { CONVERSATION_READ_MODEL, ConversationReadModel } from './conversations.ports';
import { SendMessageCommand, SendTarget } from './send-message.command';
import { AssignSessionCommand } from './session.commands';

/** The conversations port for other contexts: the HTTP routes' command handlers, in the caller's tenant. */
@Injectable()
export class ConversationsApiService implements ConversationsApi {
  constructor(
    private readonly commands: CommandBus,
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
    @Inject(CONVERSATION_READ_MODEL) private readonly reads: ConversationReadModel,
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
  ) {}

  async sendMessage(input: { projectId: string; contactId: string; channelId?: string; text: string; agentId?: string }) {
    const scope = { ...this.scope(input.projectId), sender: { kind: 'agent' as const, agentId: input.agentId } };
    return this.tx.run(async () => {
      const message = await this.commands.execute(new SendMessageCommand(scope, await this.targetOf(input), { text: input.text }));
      return { messageId: message.id };
    });
  }

  async assignActiveSession(input: { projectId: string; contactId: string; agentId: string }) {
    const scope = this.scope(input.projectId);
    return this.tx.run(async () => {
      const session = await this.sessions.findLatestActiveOfContact(input.projectId, input.contactId);
      if (!session) return undefined;
      await this.commands.execute(new AssignSessionCommand(scope, session.id, input.agentId));
      return { sessionId: session.id };
    });
  }

  /** The named channel, else the contact's most recently active chat. */
  private async targetOf(input: { projectId: string; contactId: string; channelId?: string }): Promise<SendTarget> {
    if (input.channelId) return { contactId: input.contactId, channelId: input.channelId };
    const latest = await this.reads.latestChatOfContact(input.projectId, input.contactId);
    if (!latest) throw ConversationsErrors.contactWithoutChat(input.contactId);
    return { chatId: latest.chatId };
  }

  /** The caller's tenant: RLS would hide every row without it, so a call outside any tenant is a programming error. */
  private scope(projectId: string): { tenantId: string; projectId: string } {
    const tenantId = this.context.tenantId;
    if (!tenantId) throw new Error('ConversationsApi needs a tenant context (a request, or TransactionRunner.runAsTenant)');
    return { tenantId, projectId };
  }
}
