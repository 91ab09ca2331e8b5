import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiIdempotent, ApiPage, ApiProblem, ApiProblems, ApiProjectScoped, ApiResource, Expected, pageLimit, setEtag } from '#http';
import { ExpectedVersion } from '#kernel';
import { RequestContext } from '#tenancy';
import { AssignSessionCommand, CloseSessionCommand } from '../application/session.commands';
import { GetSessionQuery, ListSessionsQuery } from '../application/session.queries';
import { AssignSessionDto, ListSessionsDto } from './session.dto';
import { SessionResponse } from './session.responses';

/** The conversation sessions of the project's contacts; every member reads them and may close one. */
@ApiTags('conversations')
@ApiProjectScoped()
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiOperation({ summary: "The project's sessions, newest first; filter by contact, chat or status" })
  @ApiPage(SessionResponse)
  list(@Query() query: ListSessionsDto) {
    const { contactId, chatId, status } = query;
    return this.queries.execute(
      new ListSessionsQuery(this.context.principal.projectId, { contactId, chatId, status }, pageLimit(query), query.cursor),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'A session: message counts, first response time, duration and why it ended' })
  @ApiResource(SessionResponse)
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    const session = await this.queries.execute(new GetSessionQuery(this.context.principal.projectId, id));
    setEtag(res, session.version);
    return session;
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'End an active session by hand (reason manual); the next message starts a new one' })
  @ApiResource(SessionResponse)
  @ApiIdempotent()
  @ApiProblems(409)
  async close(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const session = await this.commands.execute(new CloseSessionCommand(this.context.principal.projectId, id, expected));
    setEtag(res, session.version);
    return session;
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Assign an active session to an agent of the project; the assignment it replaces is kept in its history',
  })
  @ApiResource(SessionResponse)
  @ApiIdempotent()
  @ApiProblem(409, 'The session has ended (`session.already_ended`), the agent is inactive (`agent.inactive`), or a concurrent change')
  async assign(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: AssignSessionDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { tenantId, projectId } = this.context.principal;
    const session = await this.commands.execute(new AssignSessionCommand({ tenantId, projectId }, id, dto.agentId, expected));
    setEtag(res, session.version);
    return session;
  }
}
