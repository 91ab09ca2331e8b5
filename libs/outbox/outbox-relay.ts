import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Pool } from 'pg';
import createSubscriber, { Subscriber } from 'pg-listen';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { APP_DB_TARGET } from '../persistence/tokens';
import { endPoolOnce, watchPool } from '../persistence/pool-errors';
import { RelayMetrics } from './relay-metrics';
import { PgTarget, relayTarget, toClientConfig } from '../persistence/connection-options';
import { OUTBOX_CONSUMER, OutboxConsumer } from './outbox-consumer';
import { OutboxDelivery } from './outbox-delivery';
import { OutboxRow, toMessage } from './outbox-message';
import { TimerPoller } from '../timers/timer-poller';
import { RELAY_WORKER, RelayWorker } from './relay-worker';
import { ElasticWorkers } from './elastic-workers';

export const OUTBOX_CHANNEL = 'outbox_events';
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export interface OutboxBacklog {
  pending: number;
  retrying: number;
  processing: number;
  dead: number;
  oldestUnfinishedSeconds: number;
}

export interface RelayStatus {
  running: boolean;
  listening: boolean;
  lastBatchAt: Date | null;
  consumers: string[];
}

/**
 * Moves committed outbox events to the consumers. NOTIFY only wakes it up; it also polls on start, on every
 * (re)connect and every `pollIntervalMs`, so a lost notification delays an event and never loses it. Batches are
 * claimed with `FOR UPDATE SKIP LOCKED` by `outbox_claim()`, so any number of relays may run at once.
 */
@Injectable()
export class OutboxRelay implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private consumers: OutboxConsumer[] = [];
  private relayWorkers: RelayWorker[] = [];
  private subscriber?: Subscriber;
  /**
   * The relay's own connections for claims and pruning, as crm_relay: the application role cannot call those
   * cross-tenant functions. They commit without waiting for the disk: a claim lost in a crash only returns its
   * events to pending, so durability would buy nothing but latency.
   */
  private pool?: Pool;
  private timer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  /** Workers claiming and delivering concurrently; the claim keeps them off each other's events and aggregates. */
  private readonly workers = new ElasticWorkers({
    batch: () => this.processBatch(),
    batchSize: () => this.config.relay.batchSize,
    concurrency: () => this.config.relay.concurrency,
    running: () => this.running,
    // The database went away: the next poll or (re)connect tries again, nothing is lost.
    onError: (error) => this.logger.warn(`relay batch failed: ${error.message}`),
  });
  private running = false;
  private listening = false;
  private lastBatchAt: Date | null = null;

  constructor(
    private readonly delivery: OutboxDelivery,
    private readonly discovery: DiscoveryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_DB_TARGET) private readonly target: PgTarget,
    @Optional() private readonly metrics?: RelayMetrics,
    /** Durable timers fire into the outbox on this relay's connections, while it runs. */
    @Optional() private readonly timers?: TimerPoller,
  ) {}

  /** Shutdown: stop claiming and finish or hand back the batch in flight, while the database pools are still open. */
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  onModuleInit(): void {
    this.consumers = this.discovery
      .getProviders()
      .filter((w) => w.instance && w.metatype && Reflect.getMetadata(OUTBOX_CONSUMER, w.metatype))
      .map((w) => w.instance as OutboxConsumer);
    this.relayWorkers = this.discovery
      .getProviders()
      .filter((w) => w.instance && w.metatype && Reflect.getMetadata(RELAY_WORKER, w.metatype))
      .map((w) => w.instance as RelayWorker);
  }

  /** The relay's own pool, for the pool metrics (undefined while stopped). */
  get connections(): Pool | undefined {
    return this.pool;
  }

  status(): RelayStatus {
    return {
      running: this.running,
      listening: this.listening,
      lastBatchAt: this.lastBatchAt,
      consumers: this.consumers.map((c) => c.name),
    };
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.pool = watchPool(
      new Pool({
        ...toClientConfig(relayTarget(this.target, this.config.relayDbPassword)),
        // The workers, pruning, the timer poller and the contexts' relay workers' claims.
        max: this.config.relay.concurrency + 2 + this.relayWorkers.length,
        options: '-c synchronous_commit=off',
        application_name: 'crm-relay',
        connectionTimeoutMillis: 5000,
      }),
      'crm-relay',
      this.logger,
    );
    await this.listen();
    // Stopped while the listener connected: stop() has already closed what start() opened.
    if (!this.running) return;
    // Polling also covers a listener that is down: events are delivered, only later.
    this.timer = setInterval(() => this.wake(), this.config.relay.pollIntervalMs);
    this.timer.unref();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    void this.prune();
    this.timers?.start(this.pool, () => void this.wake());
    for (const worker of this.relayWorkers) worker.start(this.pool);
    this.wake();
  }

  /**
   * LISTENs on a connection of its own that pg-listen re-opens (and re-LISTENs) forever after a loss. A database
   * that is down when the relay starts does not stop it: it retries in the background and polls meanwhile.
   */
  private async listen(attempt = 0): Promise<void> {
    if (!this.running) return;
    const subscriber = createSubscriber(toClientConfig(this.target), {
      retryLimit: Infinity,
      retryTimeout: Infinity,
      retryInterval: (n) => Math.min(5000, 100 * 2 ** n),
      parse: (payload: string) => payload,
    });
    subscriber.notifications.on(OUTBOX_CHANNEL, () => this.wake());
    subscriber.events.on('connected', () => {
      this.listening = true;
      this.wake();
    });
    subscriber.events.on('reconnect', () => (this.listening = false));
    subscriber.events.on('error', (error) => {
      this.listening = false;
      this.logger.warn(`listener connection lost: ${error.message}`);
    });
    this.subscriber = subscriber;
    try {
      await subscriber.connect();
      await subscriber.listenTo(OUTBOX_CHANNEL);
      this.listening = true;
    } catch (error) {
      this.listening = false;
      await subscriber.close().catch(() => undefined);
      const delay = Math.min(5000, 100 * 2 ** attempt);
      this.logger.warn(`cannot listen yet (${(error as Error).message}); retrying in ${delay} ms`);
      this.retryTimer = setTimeout(() => void this.listen(attempt + 1), delay);
    }
  }

  /** The backlog across tenants (for /metrics), or undefined where this process runs no relay or the database is away. */
  async backlog(): Promise<OutboxBacklog | undefined> {
    if (!this.pool) return undefined;
    try {
      const { rows } = await this.pool.query('SELECT * FROM outbox_backlog()');
      const r = rows[0];
      return {
        pending: Number(r.pending),
        retrying: Number(r.retrying),
        processing: Number(r.processing),
        dead: Number(r.dead),
        oldestUnfinishedSeconds: Number(r.oldest_unfinished_seconds),
      };
    } catch {
      return undefined;
    }
  }

  /** Deletes processed events, consumer records and Idempotency-Keys past their retention (any relay may run it). */
  async prune(): Promise<{ outboxEvents: number; processedEvents: number; idempotencyKeys: number } | undefined> {
    try {
      const { rows } = await this.pool!.query('SELECT * FROM outbox_prune($1, $2)', [
        this.config.relay.retentionHours,
        this.config.relay.idempotencyKeyHours,
      ]);
      const pruned = {
        outboxEvents: Number(rows[0].outbox_events),
        processedEvents: Number(rows[0].processed_events),
        idempotencyKeys: Number(rows[0].idempotency_keys),
      };
      if (pruned.outboxEvents + pruned.processedEvents + pruned.idempotencyKeys > 0) this.logger.log(`pruned ${JSON.stringify(pruned)}`);
      return pruned;
    } catch (error) {
      this.logger.error(`pruning failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * Stops claiming, lets the tenant delivery in flight finish and hands the rest of the claimed batch back at once
   * (another relay takes it without waiting for the lease), then closes its connections. Idempotent.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.timer);
    clearInterval(this.pruneTimer);
    clearTimeout(this.retryTimer);
    await this.timers?.stop();
    await Promise.all(this.relayWorkers.map((worker) => worker.stop()));
    await this.subscriber?.close().catch(() => undefined);
    this.listening = false;
    await this.workers.whenIdle();
    if (this.pool) await endPoolOnce(this.pool);
    this.pool = undefined;
  }

  /** Drains every due event now; resolves when none is left (tests, benchmarks). */
  wake(): Promise<void> {
    return this.workers.wake();
  }

  /** Claims one batch and delivers it, one transaction per tenant; returns how many events were claimed. */
  async processBatch(): Promise<number> {
    const { rows } = await this.pool!.query<OutboxRow>('SELECT * FROM outbox_claim($1, $2, $3)', [
      this.config.relay.batchSize,
      this.config.relay.leaseSeconds,
      this.config.relay.maxAttempts,
    ]);
    if (rows.length === 0) return 0;
    const byTenant = new Map<string, OutboxRow[]>();
    for (const row of rows.sort((a, b) => Number(BigInt(a.sequence) - BigInt(b.sequence)))) {
      const list = byTenant.get(row.tenant_id) ?? [];
      list.push(row);
      byTenant.set(row.tenant_id, list);
    }
    for (const [tenantId, tenantRows] of byTenant) {
      const messages = tenantRows.map(toMessage);
      if (this.running) {
        await this.delivery.deliver(tenantId, messages, this.consumers);
        this.metrics?.delivered(messages);
      } else {
        await this.delivery.release(tenantId, messages);
      }
    }
    this.lastBatchAt = new Date();
    return rows.length;
  }
}
