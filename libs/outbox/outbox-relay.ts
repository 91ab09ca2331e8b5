import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Pool } from 'pg';
import createSubscriber, { Subscriber } from 'pg-listen';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { APP_DB_TARGET } from '../persistence/tokens';
import { PgTarget, relayTarget, toClientConfig } from '../persistence/connection-options';
import { OUTBOX_CONSUMER, OutboxConsumer } from './outbox-consumer';
import { OutboxDelivery } from './outbox-delivery';
import { OutboxRow, toMessage } from './outbox-message';

export const OUTBOX_CHANNEL = 'outbox_events';
const PRUNE_EVERY_MS = 60 * 60 * 1000;

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
export class OutboxRelay implements OnModuleInit {
  private readonly logger = new Logger(OutboxRelay.name);
  private consumers: OutboxConsumer[] = [];
  private subscriber?: Subscriber;
  /**
   * The relay's own connections for claims and pruning, as crm_relay: the application role cannot call those
   * cross-tenant functions. They commit without waiting for the disk: a claim lost in a crash only returns its
   * events to pending, so durability would buy nothing but latency.
   */
  private pool?: Pool;
  private timer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  /** Workers claiming and delivering concurrently; the claim keeps them off each other's events and aggregates. */
  private workers = 0;
  private idleWaiters: (() => void)[] = [];
  private wakeAgain = false;
  private running = false;
  private listening = false;
  private lastBatchAt: Date | null = null;

  constructor(
    private readonly delivery: OutboxDelivery,
    private readonly discovery: DiscoveryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_DB_TARGET) private readonly target: PgTarget,
  ) {}

  onModuleInit(): void {
    this.consumers = this.discovery
      .getProviders()
      .filter((w) => w.instance && w.metatype && Reflect.getMetadata(OUTBOX_CONSUMER, w.metatype))
      .map((w) => w.instance as OutboxConsumer);
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
    this.pool = new Pool({
      ...toClientConfig(relayTarget(this.target, this.config.relayDbPassword)),
      max: this.config.relay.concurrency + 1,
      options: '-c synchronous_commit=off',
      application_name: 'crm-relay',
    });
    this.pool.on('error', (error) => this.logger.error(`relay connection failed: ${error.message}`));
    const subscriber = createSubscriber(toClientConfig(this.target), {
      retryLimit: Infinity,
      retryTimeout: Infinity,
      retryInterval: (attempt) => Math.min(5000, 100 * 2 ** attempt),
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
      this.logger.error(`listener connection failed: ${error.message}`);
    });
    await subscriber.connect();
    await subscriber.listenTo(OUTBOX_CHANNEL);
    this.subscriber = subscriber;
    this.listening = true;
    this.timer = setInterval(() => this.wake(), this.config.relay.pollIntervalMs);
    this.timer.unref();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    void this.prune();
    this.wake();
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

  /** Stops claiming and waits for the batch in flight. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.timer);
    clearInterval(this.pruneTimer);
    await this.subscriber?.close().catch(() => undefined);
    this.listening = false;
    await this.whenIdle();
    await this.pool?.end().catch(() => undefined);
    this.pool = undefined;
  }

  /** Drains every due event now; resolves when none is left (tests, benchmarks). */
  wake(): Promise<void> {
    if (!this.running) return this.whenIdle();
    this.wakeAgain = true;
    if (this.workers === 0) this.addWorker();
    return this.whenIdle();
  }

  /**
   * One worker serves the steady state (lowest latency: no competing claims). A full batch means a backlog: then
   * more workers join, up to RELAY_CONCURRENCY, and leave when it is drained.
   */
  private addWorker(): void {
    this.workers += 1;
    void this.work().finally(() => {
      this.workers -= 1;
      if (this.workers === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    });
  }

  private whenIdle(): Promise<void> {
    return this.workers === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Claims and delivers until a claim comes back empty, and again while wake-ups arrived meanwhile. */
  private async work(): Promise<void> {
    do {
      this.wakeAgain = false;
      try {
        for (let claimed = await this.processBatch(); this.running && claimed > 0; claimed = await this.processBatch()) {
          if (claimed === this.config.relay.batchSize && this.workers < this.config.relay.concurrency) this.addWorker();
        }
      } catch (error) {
        this.logger.error(`relay batch failed: ${(error as Error).message}`);
        return;
      }
    } while (this.running && this.wakeAgain);
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
      await this.delivery.deliver(tenantId, tenantRows.map(toMessage), this.consumers);
    }
    this.lastBatchAt = new Date();
    return rows.length;
  }
}
