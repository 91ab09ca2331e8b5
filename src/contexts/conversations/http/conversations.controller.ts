import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiPage, ApiProjectScoped, ApiResource, PageQuery, pageLimit, setEtag } from '#http';
import { RequestContext } from '#tenancy';
import { GetChatQuery, GetMessageQuery, ListChatMessagesQuery, ListChatsQuery } from '../application/conversation.queries';
import { ListChatsDto } from './conversation.dto';
import { ChatResponse, MessageResponse } from './conversation.responses';

/** The project's WhatsApp chats and their messages, as the channels' webhooks recorded them; every member reads them. */
@ApiTags('conversations')
@ApiProjectScoped()
@Controller('chats')
export class ChatsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiOperation({ summary: "The project's chats, oldest first; filter by contact, channel or type" })
  @ApiPage(ChatResponse)
  list(@Query() query: ListChatsDto) {
    const { contactId, channelId, type } = query;
    return this.queries.execute(
      new ListChatsQuery(this.context.principal.projectId, { contactId, channelId, type }, pageLimit(query), query.cursor),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'A chat' })
  @ApiResource(ChatResponse)
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    const chat = await this.queries.execute(new GetChatQuery(this.context.principal.projectId, id));
    setEtag(res, chat.version);
    return chat;
  }

  @Get(':id/messages')
  @ApiOperation({ summary: "A chat's messages, newest first" })
  @ApiPage(MessageResponse)
  messages(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: PageQuery) {
    return this.queries.execute(new ListChatMessagesQuery(this.context.principal.projectId, id, pageLimit(query), query.cursor));
  }
}

@ApiTags('conversations')
@ApiProjectScoped()
@Controller('messages')
export class MessagesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: 'A message, with its status, reactions and ad attribution' })
  @ApiResource(MessageResponse)
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    const message = await this.queries.execute(new GetMessageQuery(this.context.principal.projectId, id));
    setEtag(res, message.version);
    return message;
  }
}
