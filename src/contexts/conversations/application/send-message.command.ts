import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '#kernel';
import type { MessageType } from '../../channels/channels.events';
import { CHANNELS_API, ChannelsApi } from '../../channels/channels.api';
import { CONTACTS_API, ContactsApi } from '../../contacts/contacts.api';
import { ConversationsErrors } from '../conversations.errors';
import { Agent } from '../domain/agent';
import { Chat } from '../domain/chat';
import {
  AGENT_REPOSITORY,
  AgentRepository,
  CHAT_REPOSITORY,
  ChatRepository,
  MESSAGE_REPOSITORY,
  MessageRepository,
} from '../domain/conversations.repositories';
import { Message } from '../domain/message';
import { AgentProvisioning } from './agent-provisioning';
import { CONVERSATION_READ_MODEL, ConversationReadModel, MessageView } from './conversations.ports';

/**
 * Who sends: a user with a token (as their agent), an API key (as the project's `API` agent; the key's owner is
 * still the sending user), or an agent named by another context (the project's `System` agent by default).
 */
export type Sender = { kind: 'user'; userId: string } | { kind: 'api_key'; userId: string } | { kind: 'agent'; agentId?: string };

export interface SendMessageScope {
  tenantId: string;
  projectId: string;
  sender: Sender;
}

export type SendTarget = { chatId: string } | { contactId: string; channelId: string };
export type SendBody = { text: string } | { media: { url: string; mimetype: string; filename?: string }; caption?: string };

export class SendMessageCommand extends Command<MessageView> {
  constructor(
    readonly scope: SendMessageScope,
    readonly target: SendTarget,
    readonly body: SendBody,
  ) {
    super();
  }
}

/**
 * Records an outbound message as `pending` (its `message.send_requested` event is what `conversations.outbound`
 * sends); the provider is never called here, so the request answers at once. The chat is the given one, or the
 * direct chat of the channel with the contact's WhatsApp number (`<digits>@c.us`), opened when there is none.
 */
@CommandHandler(SendMessageCommand)
export class SendMessageHandler implements ICommandHandler<SendMessageCommand> {
  constructor(
    @Inject(CHAT_REPOSITORY) private readonly chats: ChatRepository,
    @Inject(MESSAGE_REPOSITORY) private readonly messages: MessageRepository,
    @Inject(CONTACTS_API) private readonly contacts: ContactsApi,
    @Inject(CHANNELS_API) private readonly channels: ChannelsApi,
    @Inject(CONVERSATION_READ_MODEL) private readonly reads: ConversationReadModel,
    @Inject(AGENT_REPOSITORY) private readonly agents: AgentRepository,
    private readonly provisioning: AgentProvisioning,
  ) {}

  async execute({ scope, target, body }: SendMessageCommand): Promise<MessageView> {
    const agent = await this.agentOf(scope);
    const chat = await this.chatOf(scope, target);
    const media = 'media' in body ? body.media : null;
    const message = Message.requestSend(
      {
        id: newId(),
        tenantId: scope.tenantId,
        projectId: scope.projectId,
        chatId: chat.id,
        channelId: chat.snapshot.channelId,
        contactId: chat.snapshot.contactId,
        type: media ? typeOf(media.mimetype) : 'text',
        text: 'text' in body ? body.text : (body.caption ?? null),
        media,
        sentByUserId: scope.sender.kind === 'agent' ? null : scope.sender.userId,
        sentByAgentId: agent.id,
      },
      new Date(),
    );
    await this.messages.save(message);
    const view = await this.reads.getMessage(scope.projectId, message.id);
    if (!view) throw ConversationsErrors.notFound('message', message.id);
    return view;
  }

  private async agentOf({ tenantId, projectId, sender }: SendMessageScope): Promise<Agent> {
    const scope = { tenantId, projectId };
    if (sender.kind === 'api_key') return this.provisioning.systemAgent(scope, 'API');
    if (sender.kind === 'user') {
      const agent = await this.provisioning.memberAgent(scope, sender.userId);
      // the guard let a member through: only a membership removed during the request ends here
      if (!agent) throw ConversationsErrors.notFound('user', sender.userId);
      return agent;
    }
    if (!sender.agentId) return this.provisioning.systemAgent(scope, 'System');
    const agent = await this.agents.findById(projectId, sender.agentId);
    if (!agent) throw ConversationsErrors.notFound('agent', sender.agentId);
    if (!agent.canWork) throw ConversationsErrors.agentInactive(sender.agentId);
    return agent;
  }

  private async chatOf(scope: SendMessageScope, target: SendTarget): Promise<Chat> {
    if ('chatId' in target) {
      const chat = await this.chats.findById(scope.projectId, target.chatId);
      if (!chat) throw ConversationsErrors.notFound('chat', target.chatId);
      return chat;
    }
    const { projectId } = scope;
    const channel = await this.channels.getChannel({ projectId, channelId: target.channelId });
    if (!channel) throw ConversationsErrors.notFound('channel', target.channelId);
    const contact = await this.contacts.getContact({ projectId, contactId: target.contactId });
    if (!contact) throw ConversationsErrors.notFound('contact', target.contactId);
    if (!contact.phone) throw ConversationsErrors.contactWithoutPhone(target.contactId);
    const externalId = `${contact.phone.replace(/\D/g, '')}@c.us`;
    const existing = await this.chats.findByExternalId(target.channelId, externalId);
    if (existing) return existing;
    const chat = Chat.open({
      id: newId(),
      tenantId: scope.tenantId,
      projectId,
      channelId: target.channelId,
      externalId,
      type: 'direct',
      contactId: target.contactId,
    });
    await this.chats.save(chat);
    return chat;
  }
}

/** WhatsApp's kind of message for a mimetype, as the sender picks the WAHA endpoint. */
function typeOf(mimetype: string): MessageType {
  const kind = mimetype.split('/')[0];
  if (kind === 'image') return 'image';
  if (kind === 'video') return 'video';
  if (kind === 'audio') return 'voice';
  return 'document';
}
