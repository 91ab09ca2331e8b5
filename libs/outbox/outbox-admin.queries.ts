import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '../http/pagination';
import { TransactionRunner } from '../persistence/transaction-runner';

export const OUTBOX_STATUSES = ['pending', 'processing', 'processed', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** An outbox event as the admin API shows it. */
export interface OutboxEventView {
  id: string;
  eventId: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  status: string;
  retryCount: number;
  lastError: string | null;
  /** When the relay will next try it: for an event being delivered, the end of its lease. */
  nextAttemptAt: Date;
  createdAt: Date;
  processedAt: Date | null;
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

export class ListOutboxEventsQuery extends Query<Page<OutboxEventView>> {
  constructor(
    readonly projectId: string,
    readonly status: OutboxStatus | undefined,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/** The project's outbox events in sequence of creation, optionally of one status. */
@QueryHandler(ListOutboxEventsQuery)
export class ListOutboxEventsHandler implements IQueryHandler<ListOutboxEventsQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ projectId, status, limit, cursor }: ListOutboxEventsQuery): Promise<Page<OutboxEventView>> {
    // A processing event's `next_attempt_at` is stale (when it was claimed): it is retried once its lease ends.
    const rows: OutboxRecord[] = await this.tx.manager.query(
      `SELECT id, event_id, event_type, aggregate_type, aggregate_id, status, retry_count, last_error,
              CASE WHEN status = 'processing' THEN coalesce(locked_until, next_attempt_at) ELSE next_attempt_at END AS next_attempt_at,
              created_at, processed_at
         FROM outbox_events
        WHERE project_id = $4 AND ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR id > $2)
        ORDER BY id LIMIT $3`,
      [status ?? null, decodeCursor(cursor) ?? null, limit + 1, projectId],
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
}
