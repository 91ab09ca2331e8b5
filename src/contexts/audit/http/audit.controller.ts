import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiProblems, ApiProjectScoped, pageLimit } from '#http';
import { MinRole, RequestContext } from '#tenancy';
import { AuditTrailQuery } from '../application/audit-trail.query';
import { AuditEntryResponse, AuditQueryDto } from './audit.dto';

@ApiTags('audit')
@ApiProjectScoped()
@ApiProblems(403)
@MinRole('admin')
@Controller('audit')
export class AuditController {
  constructor(
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The audit trail of this project, newest first (admins): filter by table, rowId, actor' })
  @ApiPage(AuditEntryResponse)
  list(@Query() query: AuditQueryDto) {
    const { table, rowId, actor } = query;
    return this.queries.execute(
      new AuditTrailQuery(this.context.principal.projectId, { table, rowId, actor }, pageLimit(query), query.cursor),
    );
  }
}
