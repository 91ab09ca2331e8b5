import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { ConversationsErrors } from '../conversations.errors';
import { CONVERSATION_READ_MODEL, ChatFilter, ChatView, ConversationReadModel, MessageView } from './conversations.ports';

export class ListChatsQuery extends Query<Page<ChatView>> {
  constructor(
    readonly projectId: string,
    readonly filter: ChatFilter,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

@QueryHandler(ListChatsQuery)
export class ListChatsHandler implements IQueryHandler<ListChatsQuery> {
  constructor(@Inject(CONVERSATION_READ_MODEL) private readonly reads: ConversationReadModel) {}

  async execute({ projectId, filter, limit, cursor }: ListChatsQuery): Promise<Page<ChatView>> {
    return toPage(await this.reads.listChats(projectId, filter, limit + 1, decodeCursor(cursor)), limit, (c) => c);
  }
}

export class GetChatQuery extends Query<ChatView> {
  constructor(
    readonly projectId: string,
    readonly id: string,
  ) {
    super();
  }
}

@QueryHandler(GetChatQuery)
export class GetChatHandler implements IQueryHandler<GetChatQuery> {
  constructor(@Inject(CONVERSATION_READ_MODEL) private readonly reads: ConversationReadModel) {}

  async execute({ projectId, id }: GetChatQuery): Promise<ChatView> {
    const chat = await this.reads.getChat(projectId, id);
    if (!chat) throw ConversationsErrors.notFound('chat', id);
    return chat;
  }
}

export class ListChatMessagesQuery extends Query<Page<MessageView>> {
  constructor(
    readonly projectId: string,
    readonly chatId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/** A chat's messages, newest first; an unknown chat (or another tenant's) is 404, not an empty page. */
@QueryHandler(ListChatMessagesQuery)
export class ListChatMessagesHandler implements IQueryHandler<ListChatMessagesQuery> {
  constructor(@Inject(CONVERSATION_READ_MODEL) private readonly reads: ConversationReadModel) {}

  async execute({ projectId, chatId, limit, cursor }: ListChatMessagesQuery): Promise<Page<MessageView>> {
    const before = decodeCursor(cursor);
    if (!(await this.reads.getChat(projectId, chatId))) throw ConversationsErrors.notFound('chat', chatId);
    return toPage(await this.reads.listMessages(projectId, chatId, limit + 1, before), limit, (m) => m);
  }
}

export class GetMessageQuery extends Query<MessageView> {
  constructor(
    readonly projectId: string,
    readonly id: string,
  ) {
    super();
  }
}

@QueryHandler(GetMessageQuery)
export class GetMessageHandler implements IQueryHandler<GetMessageQuery> {
  constructor(@Inject(CONVERSATION_READ_MODEL) private readonly reads: ConversationReadModel) {}

  async execute({ projectId, id }: GetMessageQuery): Promise<MessageView> {
    const message = await this.reads.getMessage(projectId, id);
    if (!message) throw ConversationsErrors.notFound('message', id);
    return message;
  }
}
