import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ExpectedVersion } from '#kernel';
import {
  ApiIdempotent,
  ApiIfMatch,
  ApiPage,
  ApiProblems,
  ApiProjectScoped,
  ApiResource,
  Expected,
  PageQuery,
  pageLimit,
  setEtag,
} from '#http';
import { MinRole, RequestContext } from '#tenancy';
import { GetAutomationCatalogQuery } from '../application/automation-catalog.query';
import { ChangeAutomationCommand, CreateAutomationCommand } from '../application/automation.commands';
import { GetAutomationQuery, ListAutomationsQuery, ListExecutionsQuery } from '../application/automation.queries';
import { TestAutomationQuery } from '../application/test-automation.query';
import { CreateAutomationDto, TestAutomationDto, UpdateAutomationDto } from './automation.dto';
import { AutomationResponse, AutomationTestResponse, CatalogResponse, ExecutionResponse } from './automation.responses';
import { AutomationInput } from '../domain/automation';

/** A project's automations; managers and admins change them, every member reads them and their runs. */
@ApiTags('automations')
@ApiProjectScoped()
@Controller('automations')
export class AutomationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Post()
  @MinRole('manager')
  @ApiOperation({
    summary: 'Create an automation: a trigger, conditions and actions of the catalog; a bad element answers 400 with its path in errors[]',
  })
  @ApiResource(AutomationResponse, { status: 201 })
  @ApiIdempotent()
  @ApiProblems(403)
  async create(@Body() dto: CreateAutomationDto, @Res({ passthrough: true }) res: Response) {
    const { id } = await this.commands.execute(new CreateAutomationCommand(this.context.principal, dto as AutomationInput));
    return this.respond(res, id);
  }

  @Get()
  @ApiOperation({ summary: "The project's automations (not deleted), oldest first" })
  @ApiPage(AutomationResponse)
  list(@Query() query: PageQuery) {
    return this.queries.execute(new ListAutomationsQuery(this.context.principal.projectId, pageLimit(query), query.cursor));
  }

  @Get('catalog')
  @ApiOperation({ summary: 'The triggers, condition fields, operators and actions (with their parameter schemas) an automation may use' })
  @ApiOkResponse({ type: CatalogResponse, description: 'The catalog' })
  catalog() {
    return this.queries.execute(new GetAutomationCatalogQuery());
  }

  @Get(':id')
  @ApiOperation({ summary: 'An automation' })
  @ApiResource(AutomationResponse)
  get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, id);
  }

  @Patch(':id')
  @MinRole('manager')
  @ApiOperation({ summary: 'Change an automation; trigger, conditions and actions are validated as they will be' })
  @ApiResource(AutomationResponse)
  @ApiIfMatch()
  @ApiProblems(403, 409)
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateAutomationDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { version: _version, ...input } = dto;
    await this.commands.execute(
      new ChangeAutomationCommand(this.context.principal, id, { kind: 'update', input: input as Partial<AutomationInput> }, expected),
    );
    return this.respond(res, id);
  }

  @Delete(':id')
  @MinRole('manager')
  @HttpCode(204)
  @ApiOperation({ summary: 'Soft-delete an automation: it runs no more (delayed actions still due are skipped); restore brings it back' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiIfMatch()
  @ApiProblems(403, 409)
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @Expected() expected: ExpectedVersion | undefined) {
    await this.commands.execute(new ChangeAutomationCommand(this.context.principal, id, { kind: 'delete' }, expected));
  }

  @Post(':id/restore')
  @MinRole('manager')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore a soft-deleted automation' })
  @ApiResource(AutomationResponse, { description: 'Restored' })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async restore(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    await this.commands.execute(new ChangeAutomationCommand(this.context.principal, id, { kind: 'restore' }));
    return this.respond(res, id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dry run on a sample event: which conditions hold and what each action would do; nothing is done' })
  @ApiOkResponse({ type: AutomationTestResponse, description: 'The outcome of the dry run' })
  @ApiIdempotent()
  test(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: TestAutomationDto) {
    return this.queries.execute(new TestAutomationQuery(this.context.principal.projectId, id, dto.event));
  }

  @Get(':id/executions')
  @ApiOperation({ summary: 'The runs of an automation, newest first: per action its outcome' })
  @ApiPage(ExecutionResponse)
  executions(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: PageQuery) {
    return this.queries.execute(new ListExecutionsQuery(this.context.principal.projectId, id, pageLimit(query), query.cursor));
  }

  private async respond(res: Response, id: string) {
    const automation = await this.queries.execute(new GetAutomationQuery(this.context.principal.projectId, id));
    setEtag(res, automation.version);
    return automation;
  }
}
