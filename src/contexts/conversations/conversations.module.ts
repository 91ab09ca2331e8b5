import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GetChatHandler, GetMessageHandler, ListChatMessagesHandler, ListChatsHandler } from './application/conversation.queries';
import { CONVERSATION_READ_MODEL } from './application/conversations.ports';
import { InboundMessageConsumer } from './application/inbound-message.consumer';
import { MessageUpdatesConsumer } from './application/message-updates.consumer';
import { OutboundMessageConsumer } from './application/outbound-message.consumer';
import { SendMessageHandler } from './application/send-message.command';
import { SessionTimeoutConsumer } from './application/session-timeout.consumer';
import { SessionTracker } from './application/session-tracker';
import { MessageGrouper } from './application/message-grouper';
import { MessageGroupWindowConsumer } from './application/message-group-window.consumer';
import { AgentProvisioningConsumer } from './application/agent-provisioning.consumer';
import { AGENT_DIRECTORY } from './domain/agents';
import { TypeormAgentDirectory } from './infrastructure/typeorm-agent-directory';
import { CloseSessionHandler } from './application/session.commands';
import { SESSION_READ_MODEL } from './application/session.ports';
import { GetSessionHandler, ListSessionsHandler } from './application/session.queries';
import {
  CHAT_REPOSITORY,
  MESSAGE_GROUP_REPOSITORY,
  MESSAGE_REPOSITORY,
  PENDING_ACK_REPOSITORY,
  SESSION_REPOSITORY,
} from './domain/conversations.repositories';
import { ChatsController, MessagesController } from './http/conversations.controller';
import { SendMessageController } from './http/send-message.controller';
import { SessionsController } from './http/sessions.controller';
import { CONVERSATIONS_ENTITIES } from './infrastructure/conversation.entities';
import {
  TypeormChatRepository,
  TypeormMessageGroupRepository,
  TypeormMessageRepository,
  TypeormPendingAckRepository,
  TypeormSessionRepository,
} from './infrastructure/typeorm-conversation.repositories';
import { TypeormConversationReadModel } from './infrastructure/typeorm-conversation.read-model';
import { TypeormSessionReadModel } from './infrastructure/typeorm-session.read-model';

// CONTACTS_API, CHANNELS_API and IDENTITY_API come from the composition root's ContextApisModule (global).
@Module({
  imports: [TypeOrmModule.forFeature(CONVERSATIONS_ENTITIES)],
  controllers: [ChatsController, MessagesController, SendMessageController, SessionsController],
  providers: [
    { provide: CONVERSATION_READ_MODEL, useClass: TypeormConversationReadModel },
    { provide: CHAT_REPOSITORY, useClass: TypeormChatRepository },
    { provide: MESSAGE_REPOSITORY, useClass: TypeormMessageRepository },
    { provide: PENDING_ACK_REPOSITORY, useClass: TypeormPendingAckRepository },
    { provide: SESSION_REPOSITORY, useClass: TypeormSessionRepository },
    SessionTracker,
    SessionTimeoutConsumer,
    // message groups: a contact's rapid inbound messages, completed by a durable window timer
    { provide: MESSAGE_GROUP_REPOSITORY, useClass: TypeormMessageGroupRepository },
    MessageGrouper,
    MessageGroupWindowConsumer,
    InboundMessageConsumer,
    MessageUpdatesConsumer,
    OutboundMessageConsumer,
    SendMessageHandler,
    ListChatsHandler,
    GetChatHandler,
    ListChatMessagesHandler,
    GetMessageHandler,
    // sessions: routes
    { provide: SESSION_READ_MODEL, useClass: TypeormSessionReadModel },
    ListSessionsHandler,
    GetSessionHandler,
    CloseSessionHandler,
    // agents
    { provide: AGENT_DIRECTORY, useClass: TypeormAgentDirectory },
    AgentProvisioningConsumer,
  ],
})
export class ConversationsModule {}
