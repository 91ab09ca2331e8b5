import { Injectable } from '@nestjs/common';
import { DomainEvent, newId } from '../kernel';
import type { Statement } from '../persistence/row-statements';
import { TransactionRunner } from '../persistence/transaction-runner';
import { RequestContext } from '../tenancy/request-context';

/** The columns an appended event fills, with the types its parameters are cast to (they may sit in a VALUES list). */
const COLUMNS: readonly [string, string][] = [
  ['id', 'uuid'],
  ['event_id', 'uuid'],
  ['tenant_id', 'uuid'],
  ['project_id', 'uuid'],
  ['aggregate_type', 'text'],
  ['aggregate_id', 'uuid'],
  ['aggregate_version', 'integer'],
  ['event_type', 'text'],
  ['event_version', 'integer'],
  ['event_data', 'jsonb'],
  ['metadata', 'jsonb'],
  ['occurred_at', 'timestamptz'],
];
const NAMES = COLUMNS.map(([name]) => name).join(', ');

/** Appends domain events to `outbox_events` in the transaction that saved the aggregate. */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
  ) {}

  /** The events' metadata (correlation, causation, actor) comes from the context: see RequestContext.causedBy. */
  async append(events: readonly DomainEvent[]): Promise<void> {
    const statement = this.statement(events);
    if (statement) await this.tx.manager.query(statement.text, statement.values);
  }

  /**
   * The INSERT that appends `events`, its parameters numbered from `$first`, to run as a statement or a CTE of
   * another (the AggregateStore writes a row and its events in one). With `onlyIfRowsIn`, the events are appended
   * only if that CTE returned a row (a compare-and-swap that matched). Undefined when there is nothing to append.
   */
  statement(events: readonly DomainEvent[], first = 1, onlyIfRowsIn?: string): Statement | undefined {
    if (events.length === 0) return undefined;
    const metadata = JSON.stringify(this.context.eventMetadata());
    const values = events.flatMap((e) => [
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
    ]);
    const tuples = events.map((_e, i) => `(${COLUMNS.map(([, type], j) => `$${first + i * COLUMNS.length + j}::${type}`).join(', ')})`);
    const condition = onlyIfRowsIn ? ` WHERE EXISTS (SELECT FROM ${onlyIfRowsIn})` : '';
    return { text: `INSERT INTO outbox_events (${NAMES}) SELECT * FROM (VALUES ${tuples.join(', ')}) AS e${condition}`, values };
  }
}
