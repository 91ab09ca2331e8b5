import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ExpectedVersion } from '#kernel';
import { ApiIdempotent, ApiPage, ApiProblem, ApiProblems, ApiProjectScoped, ApiResource, Expected, pageLimit, setEtag } from '#http';
import { MinRole, RequestContext } from '#tenancy';
import { ChangeAgentCommand, CreateAgentCommand } from '../application/agent.commands';
import { GetAgentQuery, ListAgentsQuery } from '../application/agent.queries';
import { CreateAgentDto, ListAgentsDto, UpdateAgentDto } from './agent.dto';
import { AgentResponse } from './agent.responses';

const SYSTEM_CONFLICT = 'A system agent (`agent.system`), which nobody changes, or a concurrent change (`version_conflict`)';

/** Who works the project's conversations; managers and admins change them, every member reads them. */
@ApiTags('agents')
@ApiProjectScoped()
@Controller('agents')
export class AgentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Post()
  @MinRole('manager')
  @ApiOperation({ summary: 'Create a human, AI or bot agent (system agents are seeded per project)' })
  @ApiResource(AgentResponse, { status: 201 })
  @ApiIdempotent()
  @ApiProblems(403)
  @ApiProblem(409, 'The user already has an agent in the project (`agent.user_taken`)')
  async create(@Body() dto: CreateAgentDto, @Res({ passthrough: true }) res: Response) {
    const { id } = await this.commands.execute(new CreateAgentCommand(this.scope(), dto));
    return this.respond(res, id);
  }

  @Get()
  @ApiOperation({ summary: "The project's agents, oldest first; filter by type and by active" })
  @ApiPage(AgentResponse)
  list(@Query() query: ListAgentsDto) {
    const filter = {
      type: query.type,
      active: query.active === undefined ? undefined : query.active === 'true',
      deleted: query.deleted === 'true',
    };
    return this.queries.execute(new ListAgentsQuery(this.context.principal.projectId, filter, pageLimit(query), query.cursor));
  }

  @Get(':id')
  @ApiOperation({ summary: 'An agent' })
  @ApiResource(AgentResponse)
  get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, id);
  }

  @Patch(':id')
  @MinRole('manager')
  @ApiOperation({ summary: "Change an agent; a user's agent stays linked to that user" })
  @ApiResource(AgentResponse)
  @ApiProblems(403)
  @ApiProblem(409, `${SYSTEM_CONFLICT}, a re-link of a user's agent (\`agent.user_relink\`) or a user who has one (\`agent.user_taken\`)`)
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateAgentDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { version: _version, ...changes } = dto;
    await this.commands.execute(new ChangeAgentCommand(this.scope(), id, { kind: 'update', changes }, expected));
    return this.respond(res, id);
  }

  @Delete(':id')
  @MinRole('manager')
  @HttpCode(204)
  @ApiOperation({ summary: 'Soft-delete an agent (it keeps its history); restore brings it back' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(403)
  @ApiProblem(409, SYSTEM_CONFLICT)
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @Expected() expected: ExpectedVersion | undefined) {
    await this.commands.execute(new ChangeAgentCommand(this.scope(), id, { kind: 'delete' }, expected));
  }

  @Post(':id/restore')
  @MinRole('manager')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore a soft-deleted agent' })
  @ApiResource(AgentResponse, { description: 'Restored' })
  @ApiIdempotent()
  @ApiProblems(403)
  @ApiProblem(409, SYSTEM_CONFLICT)
  async restore(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    await this.commands.execute(new ChangeAgentCommand(this.scope(), id, { kind: 'restore' }));
    return this.respond(res, id);
  }

  private scope() {
    const { tenantId, projectId } = this.context.principal;
    return { tenantId, projectId };
  }

  private async respond(res: Response, id: string) {
    const agent = await this.queries.execute(new GetAgentQuery(this.context.principal.projectId, id));
    setEtag(res, agent.version);
    return agent;
  }
}
