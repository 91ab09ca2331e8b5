import { Injectable } from '@nestjs/common';
import { DomainEvent, newId } from '../kernel';
import { TransactionRunner } from '../persistence/transaction-runner';
import { RequestContext } from '../tenancy/request-context';

const COLUMNS = 12;

/** Appends domain events to `outbox_events` in the transaction that saved the aggregate. */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
  ) {}

  /** The events' metadata (correlation, causation, actor) comes from the context: see RequestContext.causedBy. */
  async append(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const metadata = JSON.stringify(this.context.eventMetadata());
    const params: unknown[] = [];
    const rows = events.map((e, i) => {
      params.push(
        newId(),
        e.eventId,
        e.tenantId,
        e.projectId,
        e.aggregateType,
        e.aggregateId,
        e.aggregateVersion,
        e.type,
        e.eventVersion,
        JSON.stringify(e.payload),
        metadata,
        e.occurredAt,
      );
      const base = i * COLUMNS;
      return `(${Array.from({ length: COLUMNS }, (_, j) => `$${base + j + 1}`).join(', ')})`;
    });
    await this.tx.manager.query(
      `INSERT INTO outbox_events (id, event_id, tenant_id, project_id, aggregate_type, aggregate_id, aggregate_version,
         event_type, event_version, event_data, metadata, occurred_at)
       VALUES ${rows.join(', ')}`,
      params,
    );
  }
}
