import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ApiIdempotent, ApiPage, ApiProblem, ApiProblems, ApiProjectScoped } from '../http/openapi';
import { PageQuery, pageLimit } from '../http/pagination';
import { MinRole } from '../tenancy/roles.guard';
import { RequestContext } from '../tenancy/request-context';
import { ReplayOutboxEventCommand } from './outbox-admin.commands';
import { ListOutboxEventsQuery, OUTBOX_STATUSES, OutboxStatus } from './outbox-admin.queries';
import { OutboxEventResponse, OutboxReplayResponse } from './outbox.responses';

class OutboxQuery extends PageQuery {
  @ApiPropertyOptional({ enum: OUTBOX_STATUSES })
  @IsOptional()
  @IsIn(OUTBOX_STATUSES)
  status?: OutboxStatus;
}

/** The caller tenant's outbox: dead letters to inspect and replay. Admins only. */
@ApiTags('outbox')
@ApiProjectScoped()
@ApiProblems(403)
@MinRole('admin')
@Controller('outbox')
export class OutboxController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List outbox events of this tenant, e.g. ?status=failed for the dead letters' })
  @ApiPage(OutboxEventResponse)
  list(@Query() query: OutboxQuery) {
    return this.queries.execute(new ListOutboxEventsQuery(this.context.principal.projectId, query.status, pageLimit(query), query.cursor));
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Deliver a failed (dead-lettered) event again, with a fresh retry budget' })
  @ApiAcceptedResponse({ type: OutboxReplayResponse, description: 'Queued for delivery' })
  @ApiIdempotent()
  @ApiProblem(409, 'Only failed events can be replayed (`outbox.not_failed`)')
  replay(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.commands.execute(new ReplayOutboxEventCommand(this.context.principal.projectId, id));
  }
}
