import { Conversations1764000008000 } from '#migrations/1764000008000-conversations';
import { Agents1764000010000 } from '#migrations/1764000010000-agents';
import { Outbound1764000009000 } from '#migrations/1764000009000-outbound';
import { AgentAssignments1764000011000 } from '#migrations/1764000011000-agent-assignments';
import { MessageGroups1764000012000 } from '#migrations/1764000012000-message-groups';
import type { BoundedContext } from '#platform/bounded-context';
import { ConversationsModule } from './conversations.module';
import { TypeormAgentRepository, TypeormSessionAssignmentLog } from './infrastructure/typeorm-agent.repository';
import {
  AgentEntity,
  AgentSessionEntity,
  CONVERSATIONS_ENTITIES,
  ChatEntity,
  MessageEntity,
  MessageGroupEntity,
  PendingAckEntity,
  SessionEntity,
} from './infrastructure/conversation.entities';
import {
  TypeormChatRepository,
  TypeormMessageGroupRepository,
  TypeormMessageRepository,
  TypeormPendingAckRepository,
  TypeormSessionRepository,
} from './infrastructure/typeorm-conversation.repositories';

export const CONVERSATIONS_CONTEXT: BoundedContext = {
  name: 'conversations',
  module: ConversationsModule,
  entities: CONVERSATIONS_ENTITIES,
  repositories: [
    { entity: ChatEntity, adapter: TypeormChatRepository },
    { entity: MessageEntity, adapter: TypeormMessageRepository },
    { entity: SessionEntity, adapter: TypeormSessionRepository },
    { entity: MessageGroupEntity, adapter: TypeormMessageGroupRepository },
    { entity: PendingAckEntity, adapter: TypeormPendingAckRepository },
    { entity: AgentEntity, adapter: TypeormAgentRepository },
    { entity: AgentSessionEntity, adapter: TypeormSessionAssignmentLog },
  ],
  migrations: [
    Conversations1764000008000,
    Outbound1764000009000,
    Agents1764000010000,
    AgentAssignments1764000011000,
    MessageGroups1764000012000,
  ],
};
