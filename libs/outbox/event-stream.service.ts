import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Response } from 'express';
import createSubscriber, { Subscriber } from 'pg-listen';
import { DomainError } from '../kernel';
import { OUTBOX_CHANNEL } from './outbox-relay';
import { PgTarget, toClientConfig } from '../persistence/connection-options';
import { APP_DB_TARGET } from '../persistence/tokens';
import { TransactionRunner } from '../persistence/transaction-runner';
import { Principal } from '../tenancy/principal';

/** Open streams per credential (what rate limits are scoped by); one more answers 429. */
export const MAX_STREAMS_PER_CREDENTIAL = 5;
/** The safety net when a notification is lost (or the listener is down). */
const POLL_MS = 2000;
/** A comment line keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
/** Rows are held back while an older transaction runs: look again soon rather than at the next poll. */
const HELD_BACK_RETRY_MS = 50;
const BATCH = 200;

/** Where a stream is: the (txid, sequence) of the last event sent; events are read strictly after it. */
export interface StreamCursor {
  txid: string;
  sequence: string;
}

interface StreamRow {
  event_id: string;
  sequence: string;
  txid: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  occurred_at: Date;
  event_data: Record<string, unknown>;
  held_back: boolean;
}

interface OpenStream {
  principal: Principal;
  res: Response;
  cursor: StreamCursor;
  reading: boolean;
  again: boolean;
  closed: boolean;
  retry?: NodeJS.Timeout;
}

/**
 * Server-Sent Events of a project's domain events, read from `outbox_events` under RLS in the caller's tenant.
 *
 * Order and completeness: a sequence is taken before commit, so sequence 11 can be visible before 10 commits. A
 * stream therefore orders by the inserting transaction id then the sequence, and reads only rows whose transaction
 * is older than the oldest one still running (`pg_snapshot_xmin`): once read, nothing can commit behind the cursor,
 * so a resume after the last id misses nothing and repeats nothing. The cost: an event waits for every older
 * transaction (of any project) to finish, usually milliseconds.
 *
 * Wake-ups: one process-wide LISTEN on the outbox channel (NOTIFY once per inserting transaction) wakes every open
 * stream, which reads what is new in a short transaction of its own; a 2 s poll covers lost notifications.
 */
@Injectable()
export class EventStreamService implements OnModuleDestroy {
  private readonly logger = new Logger(EventStreamService.name);
  private readonly streams = new Set<OpenStream>();
  private subscriber?: Subscriber;
  private timer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly tx: TransactionRunner,
    @Inject(APP_DB_TARGET) private readonly target: PgTarget,
  ) {}

  /** The cursor of a `Last-Event-ID` (an event sequence of this project), or the current end of the stream. */
  async startCursor(principal: Principal, lastEventId: string | undefined): Promise<StreamCursor> {
    if (lastEventId !== undefined) {
      if (!/^\d{1,18}$/.test(lastEventId))
        throw new DomainError('validation', 'events.invalid_last_event_id', 'Last-Event-ID must be an event id this stream sent');
      const rows: StreamCursor[] = await this.tx.manager.query(
        `SELECT txid::text AS txid, sequence::text AS sequence FROM outbox_events WHERE sequence = $1 AND project_id = $2`,
        [lastEventId, principal.projectId],
      );
      if (rows.length === 0)
        throw new DomainError(
          'validation',
          'events.resume_unavailable',
          'This Last-Event-ID is unknown or was pruned (OUTBOX_RETENTION_HOURS): reload the state and reconnect without it',
        );
      return rows[0];
    }
    // From now on: after every event whose transaction has finished, so none of them is sent.
    const rows: StreamCursor[] = await this.tx.manager.query(
      `SELECT coalesce(max(txid), '0'::xid8)::text AS txid, coalesce(max(sequence), 0)::text AS sequence FROM (
         SELECT txid, sequence FROM outbox_events
          WHERE project_id = $1 AND txid < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY txid DESC, sequence DESC LIMIT 1) last`,
      [principal.projectId],
    );
    return rows[0];
  }

  /** Writes the SSE headers and serves the stream until the client leaves or the application stops. */
  open(principal: Principal, res: Response, cursor: StreamCursor): void {
    if (this.stopped) throw new DomainError('rate_limited', 'events.shutting_down', 'The server is shutting down; reconnect');
    const mine = [...this.streams].filter((s) => s.principal.credentialId === principal.credentialId).length;
    if (mine >= MAX_STREAMS_PER_CREDENTIAL)
      throw new DomainError(
        'rate_limited',
        'events.too_many_streams',
        `At most ${MAX_STREAMS_PER_CREDENTIAL} event streams may be open per credential; close one first`,
      );
    const stream: OpenStream = { principal, res, cursor, reading: false, again: false, closed: false };
    this.streams.add(stream);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(': connected\n\n');
    res.on('close', () => this.close(stream));
    this.ensureRunning();
    this.read(stream);
  }

  get openStreams(): number {
    return this.streams.size;
  }

  /** Shutdown: every stream ends (clients reconnect elsewhere with Last-Event-ID), then the listener closes. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const stream of this.streams) {
      this.close(stream);
      stream.res.end();
    }
    await this.stopListening();
  }

  private close(stream: OpenStream): void {
    if (stream.closed) return;
    stream.closed = true;
    clearTimeout(stream.retry);
    this.streams.delete(stream);
    if (this.streams.size === 0) void this.stopListening();
  }

  /** The listener and timers run only while a stream is open. */
  private ensureRunning(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.wakeAll(), POLL_MS);
    this.timer.unref();
    this.heartbeat = setInterval(() => this.streams.forEach((s) => s.res.write(': heartbeat\n\n')), HEARTBEAT_MS);
    this.heartbeat.unref();
    const subscriber = createSubscriber(toClientConfig(this.target), {
      retryLimit: Infinity,
      retryTimeout: Infinity,
      retryInterval: (n) => Math.min(5000, 100 * 2 ** n),
      parse: (payload: string) => payload,
    });
    subscriber.notifications.on(OUTBOX_CHANNEL, () => this.wakeAll());
    subscriber.events.on('connected', () => this.wakeAll());
    subscriber.events.on('error', (error) => this.logger.warn(`stream listener connection lost: ${error.message}`));
    this.subscriber = subscriber;
    // A listener that cannot connect leaves the poll in charge; pg-listen keeps retrying.
    void subscriber
      .connect()
      .then(() => subscriber.listenTo(OUTBOX_CHANNEL))
      .catch((error: Error) => this.logger.warn(`stream listener not connected: ${error.message}`));
  }

  private async stopListening(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    this.timer = undefined;
    this.heartbeat = undefined;
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    await subscriber?.close().catch(() => undefined);
  }

  private wakeAll(): void {
    this.streams.forEach((s) => this.read(s));
  }

  /** Sends what is new; one read at a time per stream, and again if woken meanwhile. */
  private read(stream: OpenStream): void {
    if (stream.closed) return;
    if (stream.reading) {
      stream.again = true;
      return;
    }
    stream.reading = true;
    void this.readBatches(stream)
      .catch((error: Error) => this.logger.warn(`event stream read failed: ${error.message}`))
      .finally(() => {
        stream.reading = false;
        if (stream.again) {
          stream.again = false;
          this.read(stream);
        }
      });
  }

  private async readBatches(stream: OpenStream): Promise<void> {
    const { tenantId, projectId } = stream.principal;
    for (;;) {
      const rows: StreamRow[] = await this.tx.runAsTenant(tenantId, (m) =>
        m.query(
          `WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
           SELECT event_id, sequence::text AS sequence, txid::text AS txid, event_type, aggregate_type, aggregate_id, occurred_at,
                  event_data, txid >= (SELECT xmin FROM horizon) AS held_back
             FROM outbox_events
            WHERE project_id = $1 AND (txid, sequence) > ($2::xid8, $3::bigint)
            ORDER BY txid, sequence
            LIMIT ${BATCH}`,
          [projectId, stream.cursor.txid, stream.cursor.sequence],
        ),
      );
      if (stream.closed) return;
      let heldBack = false;
      for (const row of rows) {
        // Ordered by txid: from the first held-back row on, every later one is held back too.
        if (row.held_back) {
          heldBack = true;
          break;
        }
        stream.res.write(format(row));
        stream.cursor = { txid: row.txid, sequence: row.sequence };
      }
      if (heldBack) {
        clearTimeout(stream.retry);
        stream.retry = setTimeout(() => this.read(stream), HELD_BACK_RETRY_MS);
        return;
      }
      if (rows.length < BATCH) return;
    }
  }
}

/** One SSE message: `event`, `id` (the sequence, for Last-Event-ID) and the event as JSON on one data line. */
function format(row: StreamRow): string {
  const data = {
    id: row.event_id,
    type: row.event_type,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    data: row.event_data,
  };
  return `event: ${row.event_type}\nid: ${row.sequence}\ndata: ${JSON.stringify(data)}\n\n`;
}
