import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ExpectedVersion } from '#kernel';
import { ApiPage, ApiProblems, ApiProjectScoped, ApiResource, Expected, PageQuery, pageLimit, setEtag } from '#http';
import { RequestContext } from '#tenancy';
import { MoveContactCommand } from '../application/contact-status.commands';
import { ContactHistoryQuery, ContactStatusQuery } from '../application/contact-status.queries';
import { PipelinesErrors } from '../pipelines.errors';
import { MoveContactDto } from './pipeline.dto';
import { ContactStatusResponse, PipelineHistoryEntryResponse } from './pipeline.responses';

@ApiTags('pipelines')
@ApiProjectScoped()
@Controller('contacts/:id/pipelines/:pipelineId')
export class ContactPipelinesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Put('status')
  @ApiOperation({
    summary: 'Move the contact to a status of the pipeline (entering it the first time); 409 when the status it is in does not allow it',
  })
  @ApiResource(ContactStatusResponse, { description: "The contact's status now" })
  @ApiProblems(403, 409)
  async move(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('pipelineId', new ParseUUIDPipe()) pipelineId: string,
    @Body() dto: MoveContactDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.commands.execute(new MoveContactCommand(this.context.principal, id, pipelineId, dto.statusId, expected));
    return this.respond(res, id, pipelineId);
  }

  @Get('status')
  @ApiOperation({ summary: "The contact's current status in the pipeline (404 contact_pipeline.not_found when it is not in it)" })
  @ApiResource(ContactStatusResponse)
  status(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('pipelineId', new ParseUUIDPipe()) pipelineId: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(res, id, pipelineId);
  }

  @Get('history')
  @ApiOperation({ summary: "The contact's stays in the pipeline's statuses, oldest first: entered, exited and duration" })
  @ApiPage(PipelineHistoryEntryResponse)
  history(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('pipelineId', new ParseUUIDPipe()) pipelineId: string,
    @Query() query: PageQuery,
  ) {
    return this.queries.execute(new ContactHistoryQuery(this.context.principal.projectId, id, pipelineId, pageLimit(query), query.cursor));
  }

  private async respond(res: Response, contactId: string, pipelineId: string) {
    const status = await this.queries.execute(new ContactStatusQuery(this.context.principal.projectId, contactId, pipelineId));
    if (!status) throw PipelinesErrors.notFound('contact_pipeline');
    setEtag(res, status.version);
    return status;
  }
}
