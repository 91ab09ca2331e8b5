import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ExpectedVersion } from '#kernel';
import { ApiIdempotent, ApiPage, ApiProblems, ApiProjectScoped, ApiResource, Expected, PageQuery, pageLimit, setEtag } from '#http';
import { MinRole, RequestContext } from '#tenancy';
import { ChangePipelineCommand, CreatePipelineCommand, PipelineChange } from '../application/pipeline.commands';
import { GetPipelineQuery, ListPipelinesQuery, PipelineBoardQuery, StatusContactsQuery } from '../application/pipeline.queries';
import {
  AddStatusDto,
  BoardQueryDto,
  CreatePipelineDto,
  ListPipelinesDto,
  ReorderStatusesDto,
  UpdatePipelineDto,
  UpdateStatusDto,
} from './pipeline.dto';
import { BoardContactResponse, BoardResponse, PipelineResponse } from './pipeline.responses';

@ApiTags('pipelines')
@ApiProjectScoped()
@Controller('pipelines')
export class PipelinesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Post()
  @MinRole('manager')
  @ApiOperation({ summary: 'Create a pipeline with its first statuses (names unique per pipeline)' })
  @ApiResource(PipelineResponse, { status: 201 })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async create(@Body() dto: CreatePipelineDto, @Res({ passthrough: true }) res: Response) {
    const fields = {
      name: dto.name,
      description: dto.description ?? null,
      color: dto.color ?? null,
      sessionTimeoutMinutes: dto.sessionTimeoutMinutes ?? null,
    };
    const { id } = await this.commands.execute(new CreatePipelineCommand(this.context.principal, fields, dto.statuses ?? []));
    return this.respond(res, id);
  }

  @Get()
  @ApiOperation({ summary: "The project's pipelines with their statuses, oldest first (deleted=true: the deleted ones)" })
  @ApiPage(PipelineResponse)
  list(@Query() query: ListPipelinesDto) {
    return this.queries.execute(
      new ListPipelinesQuery(this.context.principal.projectId, query.deleted ?? false, pageLimit(query), query.cursor),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'A pipeline with its live statuses in board order' })
  @ApiResource(PipelineResponse)
  get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, id);
  }

  @Patch(':id')
  @MinRole('manager')
  @ApiOperation({ summary: 'Change the name, description, color or session timeout of a pipeline' })
  @ApiResource(PipelineResponse)
  @ApiProblems(403, 409)
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdatePipelineDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { version: _v, ...fields } = dto;
    return this.change(res, id, { kind: 'update', fields }, expected);
  }

  @Delete(':id')
  @MinRole('manager')
  @ApiOperation({ summary: 'Soft-delete a pipeline (moves into it are refused); restore brings it back' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(403, 409)
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @Expected() expected: ExpectedVersion | undefined) {
    await this.commands.execute(new ChangePipelineCommand(this.context.principal, id, { kind: 'delete' }, expected));
  }

  @Post(':id/restore')
  @MinRole('manager')
  @ApiOperation({ summary: 'Restore a soft-deleted pipeline' })
  @HttpCode(200)
  @ApiResource(PipelineResponse, { description: 'Restored' })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  restore(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    return this.change(res, id, { kind: 'restore' });
  }

  @Post(':id/statuses')
  @MinRole('manager')
  @ApiOperation({ summary: 'Add a status (default last); answers the pipeline' })
  @ApiResource(PipelineResponse, { status: 201 })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  addStatus(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: AddStatusDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { position, version: _v, ...status } = dto;
    return this.change(res, id, { kind: 'add_status', status, position }, expected);
  }

  @Put(':id/statuses/order')
  @MinRole('manager')
  @ApiOperation({ summary: 'Reorder the statuses: every live status, in its new board order' })
  @ApiResource(PipelineResponse)
  @ApiProblems(403, 409)
  reorder(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ReorderStatusesDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.change(res, id, { kind: 'reorder', statusIds: dto.statusIds }, expected);
  }

  @Patch(':id/statuses/:statusId')
  @MinRole('manager')
  @ApiOperation({ summary: 'Rename a status, change its type or color, or set the statuses it may move to' })
  @ApiResource(PipelineResponse)
  @ApiProblems(403, 409)
  changeStatus(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('statusId', new ParseUUIDPipe()) statusId: string,
    @Body() dto: UpdateStatusDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { version: _v, ...changes } = dto;
    return this.change(res, id, { kind: 'change_status', statusId, changes }, expected);
  }

  @Delete(':id/statuses/:statusId')
  @MinRole('manager')
  @ApiOperation({ summary: 'Remove an empty status (soft delete; its history stays); 409 while contacts are in it' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(403, 409)
  async removeStatus(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('statusId', new ParseUUIDPipe()) statusId: string,
    @Expected() expected: ExpectedVersion | undefined,
  ) {
    await this.commands.execute(new ChangePipelineCommand(this.context.principal, id, { kind: 'remove_status', statusId }, expected));
  }

  @Get(':id/board')
  @ApiOperation({ summary: 'The board: every live status with its contact count and first page of contacts' })
  @ApiOkResponse({ type: BoardResponse, description: 'The board' })
  board(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: BoardQueryDto) {
    return this.queries.execute(new PipelineBoardQuery(this.context.principal.projectId, id, query.limit ?? 20));
  }

  @Get(':id/statuses/:statusId/contacts')
  @ApiOperation({ summary: "A further page of a board column: the status's contacts, longest there first" })
  @ApiPage(BoardContactResponse)
  statusContacts(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('statusId', new ParseUUIDPipe()) statusId: string,
    @Query() query: PageQuery,
  ) {
    return this.queries.execute(new StatusContactsQuery(this.context.principal.projectId, id, statusId, pageLimit(query), query.cursor));
  }

  private async change(res: Response, id: string, change: PipelineChange, expected?: ExpectedVersion) {
    await this.commands.execute(new ChangePipelineCommand(this.context.principal, id, change, expected));
    return this.respond(res, id);
  }

  private async respond(res: Response, id: string) {
    const pipeline = await this.queries.execute(new GetPipelineQuery(this.context.principal.projectId, id));
    setEtag(res, pipeline.version);
    return pipeline;
  }
}
