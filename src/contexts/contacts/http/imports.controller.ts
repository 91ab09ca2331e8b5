import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiIdempotent, ApiPage, ApiProblems, ApiProjectScoped, PageQuery, pageLimit } from '#http';
import { RequestContext } from '#tenancy';
import { CancelImportCommand } from '../application/contact-import.commands';
import { GetImportQuery, ListImportsQuery } from '../application/contact-import.queries';
import { ImportResponse } from './contact-import.responses';

/** The contact imports of the project (POST /contacts/import starts one). */
@ApiTags('contacts')
@ApiProjectScoped()
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiOperation({ summary: "The project's contact imports, newest first (a running one shows its progress)" })
  @ApiPage(ImportResponse)
  list(@Query() query: PageQuery) {
    return this.queries.execute(new ListImportsQuery(this.context.principal.projectId, pageLimit(query), query.cursor));
  }

  @Get(':id')
  @ApiOperation({ summary: 'An import: status, rows read, created, updated, rejected (with the rejected rows and why)' })
  @ApiOkResponse({ type: ImportResponse, description: 'The import' })
  get(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.queries.execute(new GetImportQuery(this.context.principal.projectId, id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a running import: it stops after the batch in flight; the rows it committed stay (409 once finished)',
  })
  @ApiOkResponse({ type: ImportResponse, description: 'The import, cancelled, with the counts of what it committed' })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  cancel(@Param('id', new ParseUUIDPipe()) id: string) {
    const { projectId, userId } = this.context.principal;
    return this.commands.execute(new CancelImportCommand(projectId, id, userId));
  }
}
