import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DomainError, NotFoundError } from '../kernel';
import { ApiIdempotent, ApiPage, ApiProblem, ApiProblems, ApiProjectScoped } from '../http/openapi';
import { PageQuery, decodeCursor, pageLimit, toPage } from '../http/pagination';
import { TransactionRunner } from '../persistence/transaction-runner';
import { MinRole } from '../tenancy/roles.guard';
import { RequestContext } from '../tenancy/request-context';
import { OutboxEventResponse, OutboxReplayResponse } from './outbox.responses';

const STATUSES = ['pending', 'processing', 'processed', 'failed'] as const;

class OutboxQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];
}

interface OutboxRecord {
  id: string;
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  status: string;
  retry_count: number;
  last_error: string | null;
  next_attempt_at: Date;
  created_at: Date;
  processed_at: Date | null;
}

/** The caller tenant's outbox: dead letters to inspect and replay. Admins only. */
@ApiTags('outbox')
@ApiProjectScoped()
@ApiProblems(403)
@MinRole('admin')
@Controller('outbox')
export class OutboxController {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List outbox events of this tenant, e.g. ?status=failed for the dead letters' })
  @ApiPage(OutboxEventResponse)
  async list(@Query() query: OutboxQuery) {
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor);
    const rows: OutboxRecord[] = await this.tx.manager.query(
      `SELECT id, event_id, event_type, aggregate_type, aggregate_id, status, retry_count, last_error, next_attempt_at, created_at, processed_at
         FROM outbox_events
        WHERE project_id = $4 AND ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR id > $2)
        ORDER BY id LIMIT $3`,
      [query.status ?? null, after ?? null, limit + 1, this.context.principal.projectId],
    );
    return toPage(rows, limit, (r) => ({
      id: r.id,
      eventId: r.event_id,
      type: r.event_type,
      aggregateType: r.aggregate_type,
      aggregateId: r.aggregate_id,
      status: r.status,
      retryCount: r.retry_count,
      lastError: r.last_error,
      nextAttemptAt: r.next_attempt_at,
      createdAt: r.created_at,
      processedAt: r.processed_at,
    }));
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Deliver a failed (dead-lettered) event again, with a fresh retry budget' })
  @ApiAcceptedResponse({ type: OutboxReplayResponse, description: 'Queued for delivery' })
  @ApiIdempotent()
  @ApiProblem(409, 'Only failed events can be replayed (`outbox.not_failed`)')
  async replay(@Param('id', new ParseUUIDPipe()) id: string) {
    const rows: { status: string }[] = await this.tx.manager.query(
      `SELECT status FROM outbox_events WHERE id = $1 AND project_id = $2 FOR UPDATE`,
      [id, this.context.principal.projectId],
    );
    if (rows.length === 0) throw new NotFoundError('outbox_event', id);
    if (rows[0].status !== 'failed') {
      throw new DomainError('conflict', 'outbox.not_failed', `Only failed events can be replayed; this one is ${rows[0].status}`);
    }
    await this.tx.manager.query(
      `UPDATE outbox_events SET status = 'pending', retry_count = 0, last_error = NULL, next_attempt_at = now() WHERE id = $1`,
      [id],
    );
    return { id, status: 'pending' };
  }
}
