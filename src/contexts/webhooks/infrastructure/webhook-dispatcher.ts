import { Inject, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { ElasticWorkers } from '#outbox/elastic-workers';
import { RelayWorker, Worker } from '#outbox/relay-worker';
import { TransactionRunner } from '#persistence/transaction-runner';
import { DeliveryWakeUp, WEBHOOK_SECRETS, WebhookSecrets } from '../application/webhooks.ports';
import { RetryPolicy } from '../domain/retry-schedule';
import { DeliveryLog, DeliveryOutcome, DueDelivery } from './delivery-log';
import { WebhookHttpClient } from './webhook-http.client';
import { signatureHeader } from './standard-webhooks';

const PRUNE_EVERY_MS = 60 * 60 * 1000;

interface Claim {
  id: string;
  tenant_id: string;
  claim_token: string;
}

/**
 * Sends due deliveries, wherever a relay runs. Each worker claims a batch with `webhook_deliveries_claim()` (SKIP
 * LOCKED across relays; the claim pushes the delivery out by the lease, so one whose relay died is due again
 * later), reads it in a short transaction, sends every attempt with no transaction open, then records the
 * outcomes in another (only under the claim's token): success, the next attempt's time, or failure for good.
 * Polls every WEBHOOK_POLL_INTERVAL_MS, and is woken at once when this process queued deliveries.
 */
@Worker()
export class WebhookDispatcher implements RelayWorker, DeliveryWakeUp {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private pool?: Pool;
  private interval?: NodeJS.Timeout;
  private pruneInterval?: NodeJS.Timeout;
  private readonly policy: RetryPolicy;
  /** Claims while the deliveries come: a full batch brings another worker in, up to WEBHOOK_CONCURRENCY. */
  private readonly workers = new ElasticWorkers({
    batch: () => this.batch(),
    batchSize: () => this.config.webhooks.batchSize,
    concurrency: () => this.config.webhooks.concurrency,
    running: () => this.pool !== undefined,
    // The database went away: the next poll tries again; claimed deliveries are due again after the lease.
    onError: (error) => this.logger.warn(`webhook delivery batch failed: ${error.message}`),
  });

  constructor(
    private readonly tx: TransactionRunner,
    private readonly log: DeliveryLog,
    private readonly client: WebhookHttpClient,
    @Inject(WEBHOOK_SECRETS) private readonly secrets: WebhookSecrets,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const { maxAttempts, retryBaseMs, retryMaxMs } = config.webhooks;
    this.policy = { maxAttempts, baseMs: retryBaseMs, maxMs: retryMaxMs };
  }

  start(pool: Pool): void {
    if (this.pool) return;
    this.pool = pool;
    this.interval = setInterval(() => void this.drain(), this.config.webhooks.pollIntervalMs);
    this.interval.unref();
    this.pruneInterval = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruneInterval.unref();
    void this.drain();
  }

  async stop(): Promise<void> {
    clearInterval(this.interval);
    clearInterval(this.pruneInterval);
    this.interval = undefined;
    this.pool = undefined;
    await this.workers.whenIdle();
  }

  /** Once the transaction in progress commits (its deliveries are visible), send what is due. */
  wake(): void {
    this.tx.afterCommit(() => void this.drain());
  }

  /** Sends every due delivery now; resolves when none is left (tests, benchmarks). A no-op while stopped. */
  drain(): Promise<void> {
    return this.workers.wake();
  }

  /** Deletes finished deliveries older than WEBHOOK_DELIVERY_RETENTION_HOURS; returns how many (0 while stopped). */
  async prune(): Promise<number> {
    if (!this.pool) return 0;
    try {
      const { rows } = await this.pool.query<{ pruned: string }>('SELECT webhook_deliveries_prune($1) AS pruned', [
        this.config.webhooks.retentionHours,
      ]);
      return Number(rows[0].pruned);
    } catch (error) {
      this.logger.warn(`pruning webhook deliveries failed: ${(error as Error).message}`);
      return 0;
    }
  }

  private async batch(): Promise<number> {
    const pool = this.pool;
    if (!pool) return 0;
    const { rows } = await pool.query<Claim>('SELECT * FROM webhook_deliveries_claim($1, $2)', [
      this.config.webhooks.batchSize,
      this.config.webhooks.leaseSeconds,
    ]);
    const byTenant = new Map<string, Claim[]>();
    for (const row of rows) byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row]);
    await Promise.all([...byTenant].map(([tenantId, claims]) => this.deliver(tenantId, claims)));
    return rows.length;
  }

  private async deliver(tenantId: string, claims: Claim[]): Promise<void> {
    const due = await this.tx.runAsTenant(tenantId, () => this.log.load(claims.map((c) => ({ id: c.id, claimToken: c.claim_token }))));
    // No transaction is open while the receivers answer.
    const outcomes = await Promise.all(due.map((delivery) => this.attempt(delivery)));
    const failing = await this.tx.runAsTenant(tenantId, () => this.log.record(outcomes, this.policy), { asyncCommit: true });
    if (failing.length > 0) await this.log.disableFailing(tenantId, failing, this.config.webhooks.disableAfterHours);
  }

  private async attempt(delivery: DueDelivery): Promise<DeliveryOutcome> {
    let signature: string;
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const secrets = delivery.secrets.map((sealed) => this.secrets.open(delivery.subscriptionId, sealed));
      signature = signatureHeader(secrets, delivery.eventId, timestamp, delivery.body);
    } catch (error) {
      return { delivery, status: null, ok: false, error: `cannot sign: ${(error as Error).message}`, durationMs: 0 };
    }
    const response = await this.client.post({
      url: delivery.url,
      body: delivery.body,
      headers: { 'webhook-id': delivery.eventId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature },
    });
    return { delivery, ...response };
  }
}
