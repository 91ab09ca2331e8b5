import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TransactionRunner } from '../persistence/transaction-runner';
import { OutboxConsumer, consumes } from './outbox-consumer';
import { OutboxMessage } from './outbox-message';

/**
 * Delivers one tenant's claimed events to every consumer in a single transaction of that tenant. The fast path
 * runs every consumer on the whole batch with no savepoints. If anything fails, that transaction is rolled back
 * and the batch is delivered carefully: each consumer under a savepoint on the batch, and on failure one event at
 * a time to isolate the culprit. The events' outcome (processed, retry with backoff, dead letter) commits with
 * the effects.
 */
@Injectable()
export class OutboxDelivery {
  private readonly logger = new Logger(OutboxDelivery.name);

  constructor(
    private readonly tx: TransactionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async deliver(tenantId: string, events: OutboxMessage[], consumers: readonly OutboxConsumer[]): Promise<void> {
    try {
      await this.tx.runAsTenant(
        tenantId,
        async (em) => {
          const shares = consumers.map((consumer) => ({ consumer, mine: events.filter((e) => consumes(consumer, e.type)) }));
          await this.handleNew(em, tenantId, shares);
          await this.settle(em, events, new Map(), new Set());
        },
        { asyncCommit: true },
      );
    } catch (error) {
      this.logger.debug(`batch for tenant ${tenantId} failed on the fast path (${(error as Error).message}); delivering carefully`);
      await this.deliverCarefully(tenantId, events, consumers);
    }
  }

  /** Hands claimed events back undelivered (shutdown): pending again at once, not counted as an attempt. */
  async release(tenantId: string, events: OutboxMessage[]): Promise<void> {
    await this.tx.runAsTenant(tenantId, (em) =>
      em.query(
        `UPDATE outbox_events SET status = 'pending', locked_until = NULL, next_attempt_at = now()
          WHERE id = ANY($1::uuid[]) AND status = 'processing' AND claim_token = $2`,
        [events.map((e) => e.id), events[0]?.claimToken],
      ),
    );
  }

  private async deliverCarefully(tenantId: string, events: OutboxMessage[], consumers: readonly OutboxConsumer[]): Promise<void> {
    try {
      // Delivery commits without waiting for the disk: if the commit is lost, so are the consumers' effects and
      // processed_events rows with it, and the lease brings the events back. Nothing is lost, only redone.
      await this.tx.runAsTenant(
        tenantId,
        async (em) => {
          const failed = new Map<string, string>();
          const deferred = new Set<string>();
          for (const consumer of consumers) {
            const mine = events.filter((e) => consumes(consumer, e.type));
            if (mine.length > 0) await this.runConsumer(em, tenantId, consumer, mine, failed, deferred);
          }
          await this.settle(em, events, failed, deferred);
        },
        { asyncCommit: true },
      );
    } catch (error) {
      // The delivery transaction itself failed (connection lost, serialization): count an attempt for all.
      const message = (error as Error).message;
      this.logger.error(`delivery to tenant ${tenantId} failed: ${message}`);
      await this.tx.runAsTenant(tenantId, (em) => this.settle(em, events, new Map(events.map((e) => [e.id, message])), new Set()));
    }
  }

  private async runConsumer(
    em: EntityManager,
    tenantId: string,
    consumer: OutboxConsumer,
    events: OutboxMessage[],
    failed: Map<string, string>,
    deferred: Set<string>,
  ): Promise<void> {
    const pending = events.filter((e) => !failed.has(e.id) && !deferred.has(e.id));
    if (pending.length === 1) {
      await this.attempt(em, tenantId, consumer, pending, failed);
      return;
    }
    if (await this.attempt(em, tenantId, consumer, pending)) return;
    const brokenAggregates = new Set<string>();
    for (const event of pending) {
      if (brokenAggregates.has(event.aggregateId)) {
        deferred.add(event.id);
        continue;
      }
      if (!(await this.attempt(em, tenantId, consumer, [event], failed))) brokenAggregates.add(event.aggregateId);
    }
  }

  /** `handleNew` under a savepoint; a failure of a single event is recorded in `failed`. */
  private async attempt(
    em: EntityManager,
    tenantId: string,
    consumer: OutboxConsumer,
    events: OutboxMessage[],
    failed?: Map<string, string>,
  ): Promise<boolean> {
    if (events.length === 0) return true;
    await em.query('SAVEPOINT outbox_consumer');
    try {
      await this.handleNew(em, tenantId, [{ consumer, mine: events }]);
      await em.query('RELEASE SAVEPOINT outbox_consumer');
      return true;
    } catch (error) {
      await em.query('ROLLBACK TO SAVEPOINT outbox_consumer');
      const message = `${consumer.name}: ${(error as Error).message}`;
      if (failed && events.length === 1) {
        failed.set(events[0].id, message);
        this.logger.warn(`event ${events[0].eventId} (${events[0].type}) failed in ${message}`);
      }
      return false;
    }
  }

  /**
   * Records each consumer's share of the events in `processed_events` (one statement for all of them), then has each
   * consumer handle the events it sees for the first time.
   */
  private async handleNew(
    em: EntityManager,
    tenantId: string,
    shares: { consumer: OutboxConsumer; mine: OutboxMessage[] }[],
  ): Promise<void> {
    const names = shares.flatMap(({ consumer, mine }) => mine.map(() => consumer.name));
    if (names.length === 0) return;
    const recorded: { consumer_name: string; event_id: string }[] = await em.query(
      `INSERT INTO processed_events (consumer_name, event_id, tenant_id)
       SELECT unnest($1::text[]), unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING RETURNING consumer_name, event_id`,
      [names, shares.flatMap(({ mine }) => mine.map((e) => e.eventId)), tenantId],
    );
    const fresh = new Set(recorded.map((r) => `${r.consumer_name} ${r.event_id}`));
    for (const { consumer, mine } of shares) {
      const todo = mine.filter((e) => fresh.has(`${consumer.name} ${e.eventId}`));
      if (todo.length > 0) await consumer.handle(todo);
    }
  }

  /** Marks the batch: processed, retried later with exponential backoff and jitter, or dead-lettered as failed. */
  private async settle(em: EntityManager, events: OutboxMessage[], failed: Map<string, string>, deferred: Set<string>): Promise<void> {
    // Only rows still held by this claim: a relay whose lease expired must not overwrite a newer claim's outcome.
    const token = events[0]?.claimToken;
    const done = events.filter((e) => !failed.has(e.id) && !deferred.has(e.id)).map((e) => e.id);
    if (done.length > 0) {
      await em.query(
        `UPDATE outbox_events SET status = 'processed', processed_at = now(), locked_until = NULL, last_error = NULL
         WHERE id = ANY($1::uuid[]) AND status = 'processing' AND claim_token = $2`,
        [done, token],
      );
    }
    if (failed.size > 0) {
      const { maxAttempts, baseBackoffMs } = this.config.relay;
      await em.query(
        `UPDATE outbox_events o
            SET retry_count = o.retry_count + 1,
                status = CASE WHEN o.retry_count + 1 >= $3 THEN 'failed' ELSE 'pending' END,
                last_error = f.error,
                locked_until = NULL,
                next_attempt_at = now() + make_interval(secs => least(3600, $4 / 1000.0 * power(2, o.retry_count)) * (0.5 + random()))
           FROM unnest($1::uuid[], $2::text[]) AS f(id, error)
          WHERE o.id = f.id AND o.status = 'processing' AND o.claim_token = $5`,
        [[...failed.keys()], [...failed.values()], maxAttempts, baseBackoffMs, token],
      );
    }
    if (deferred.size > 0) {
      // Held back behind a failed earlier event of the same aggregate: not an attempt of their own.
      await em.query(
        `UPDATE outbox_events SET status = 'pending', locked_until = NULL WHERE id = ANY($1::uuid[]) AND status = 'processing' AND claim_token = $2`,
        [[...deferred], token],
      );
    }
  }
}
