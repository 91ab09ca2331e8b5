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
import { AgentProvisioning } from './application/agent-provisioning';
import { ConversationsApiService } from './application/conversations-api.service';
import { AssignSessionHandler, CloseSessionHandler } from './application/session.commands';
import { CONVERSATIONS_API } from './conversations.api';
import { TypeormAgentRepository, TypeormSessionAssignmentLog } from './infrastructure/typeorm-agent.repository';
import { SESSION_READ_MODEL } from './application/session.ports';
import { GetSessionHandler, ListSessionsHandler } from './application/session.queries';
import {
  AGENT_REPOSITORY,
  CHAT_REPOSITORY,
  MESSAGE_GROUP_REPOSITORY,
  MESSAGE_REPOSITORY,
  PENDING_ACK_REPOSITORY,
  SESSION_ASSIGNMENT_LOG,
  SESSION_REPOSITORY,
} from './domain/conversations.repositories';
import { ChatsController, MessagesController } from './http/conversations.controller';
import { SendMessageController } from './http/send-message.controller';
import { SessionsController } from './http/sessions.controller';
import { AgentsController } from './http/agents.controller';
import { ChangeAgentHandler, CreateAgentHandler } from './application/agent.commands';
import { AGENT_READ_MODEL } from './application/agent.ports';
import { GetAgentHandler, ListAgentsHandler } from './application/agent.queries';
import { TypeormAgentReadModel } from './infrastructure/typeorm-agent.read-model';
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
  controllers: [ChatsController, MessagesController, SendMessageController, SessionsController, AgentsController],
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
    AssignSessionHandler,
    { provide: SESSION_ASSIGNMENT_LOG, useClass: TypeormSessionAssignmentLog },
    // agents
    { provide: AGENT_REPOSITORY, useClass: TypeormAgentRepository },
    { provide: AGENT_READ_MODEL, useClass: TypeormAgentReadModel },
    AgentProvisioning,
    CreateAgentHandler,
    ChangeAgentHandler,
    ListAgentsHandler,
    GetAgentHandler,
    AgentProvisioningConsumer,
    // the port other contexts call
    { provide: CONVERSATIONS_API, useClass: ConversationsApiService },
  ],
  exports: [CONVERSATIONS_API],
})
export class ConversationsModule {}
