import { Inject, Injectable, Logger } from '@nestjs/common';
import { TransactionRunner } from '#persistence/transaction-runner';
import { WEBHOOK_SUBSCRIPTION_REPOSITORY, WebhookSubscriptionRepository } from '../domain/webhooks.repositories';
import { RetryPolicy, nextRetryDelayMs } from '../domain/retry-schedule';
import type { WebhookResponse } from './webhook-http.client';

/** A claimed delivery with what sending it needs: the subscription's URL and its sealed secrets that still sign. */
export interface DueDelivery {
  id: string;
  claimToken: string;
  projectId: string;
  subscriptionId: string;
  eventId: string;
  body: string;
  attempts: number;
  url: string;
  /** The current secret first, then the previous one during its grace period. */
  secrets: string[];
}

export type DeliveryOutcome = WebhookResponse & { delivery: DueDelivery };

/** A subscription whose deliveries failed in a batch and succeeded in none. */
export interface FailingSubscription {
  subscriptionId: string;
  projectId: string;
  lastError: string;
  /** The receiver answered 410 Gone: it wants no more webhooks. */
  gone: boolean;
}

const MAX_ERROR_LENGTH = 1000;

/** The delivery rows the dispatcher reads and writes, in transactions of the deliveries' tenant. */
@Injectable()
export class DeliveryLog {
  private readonly logger = new Logger(DeliveryLog.name);

  constructor(
    private readonly tx: TransactionRunner,
    @Inject(WEBHOOK_SUBSCRIPTION_REPOSITORY) private readonly subscriptions: WebhookSubscriptionRepository,
  ) {}

  /** The claimed deliveries still held by these claims (a replay meanwhile took its delivery back). */
  async load(claims: readonly { id: string; claimToken: string }[]): Promise<DueDelivery[]> {
    const rows = await this.tx.manager.query<
      {
        id: string;
        claim_token: string;
        project_id: string;
        subscription_id: string;
        event_id: string;
        body: string;
        attempts: number;
        url: string;
        secret_encrypted: string;
        previous_secret_encrypted: string | null;
      }[]
    >(
      `SELECT d.id, d.claim_token, d.project_id, d.subscription_id, d.event_id, d.body, d.attempts, s.url, s.secret_encrypted,
              CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_secret_encrypted END AS previous_secret_encrypted
         FROM unnest($1::uuid[], $2::uuid[]) AS c(id, claim_token)
         JOIN webhook_deliveries d ON d.id = c.id AND d.claim_token = c.claim_token AND d.status = 'pending'
         JOIN webhook_subscriptions s ON s.tenant_id = d.tenant_id AND s.id = d.subscription_id`,
      [claims.map((c) => c.id), claims.map((c) => c.claimToken)],
    );
    return rows.map((r) => ({
      id: r.id,
      claimToken: r.claim_token,
      projectId: r.project_id,
      subscriptionId: r.subscription_id,
      eventId: r.event_id,
      body: r.body,
      attempts: r.attempts,
      url: r.url,
      secrets: r.previous_secret_encrypted ? [r.secret_encrypted, r.previous_secret_encrypted] : [r.secret_encrypted],
    }));
  }

  /**
   * Records each attempt under its claim token: succeeded, due again after the backoff, or failed for good (out
   * of attempts, or 410 Gone). Moves each subscription's failure streak; returns the subscriptions that only failed.
   */
  async record(outcomes: readonly DeliveryOutcome[], policy: RetryPolicy): Promise<FailingSubscription[]> {
    if (outcomes.length === 0) return [];
    const rows = outcomes.map((o) => {
      const attempts = o.delivery.attempts + 1;
      const gone = o.status === 410;
      const delay = o.ok || gone ? undefined : nextRetryDelayMs(policy, attempts, o.retryAfterMs);
      return { o, attempts, status: o.ok ? 'succeeded' : delay === undefined ? 'failed' : 'pending', delay: delay ?? 0 };
    });
    await this.tx.manager.query(
      `UPDATE webhook_deliveries d
          SET status = u.status, attempts = u.attempts, last_attempt_at = now(), response_status = u.response_status,
              duration_ms = u.duration_ms, error = u.error,
              next_attempt_at = CASE WHEN u.status = 'pending' THEN now() + u.delay_ms * interval '1 millisecond' ELSE d.next_attempt_at END,
              delivered_at = CASE WHEN u.status = 'succeeded' THEN now() ELSE d.delivered_at END,
              claim_token = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::int[], $6::int[], $7::text[], $8::bigint[])
              AS u(id, claim_token, status, attempts, response_status, duration_ms, error, delay_ms)
        WHERE d.id = u.id AND d.claim_token = u.claim_token`,
      [
        rows.map((r) => r.o.delivery.id),
        rows.map((r) => r.o.delivery.claimToken),
        rows.map((r) => r.status),
        rows.map((r) => r.attempts),
        rows.map((r) => r.o.status),
        rows.map((r) => r.o.durationMs),
        rows.map((r) => r.o.error?.slice(0, MAX_ERROR_LENGTH) ?? null),
        rows.map((r) => r.delay),
      ],
    );
    const succeeded = new Set(outcomes.filter((o) => o.ok).map((o) => o.delivery.subscriptionId));
    const failing = new Map<string, FailingSubscription>();
    for (const o of outcomes) {
      if (o.ok || succeeded.has(o.delivery.subscriptionId)) continue;
      const previous = failing.get(o.delivery.subscriptionId);
      failing.set(o.delivery.subscriptionId, {
        subscriptionId: o.delivery.subscriptionId,
        projectId: o.delivery.projectId,
        lastError: o.error ?? 'failed',
        gone: (previous?.gone ?? false) || o.status === 410,
      });
    }
    if (succeeded.size > 0)
      await this.tx.manager.query(
        `UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = ANY($1::uuid[]) AND failing_since IS NOT NULL`,
        [[...succeeded]],
      );
    if (failing.size > 0)
      await this.tx.manager.query(
        `UPDATE webhook_subscriptions SET failing_since = now() WHERE id = ANY($1::uuid[]) AND failing_since IS NULL`,
        [[...failing.keys()]],
      );
    return [...failing.values()];
  }

  /**
   * Disables the failing subscriptions whose streak is older than `afterHours` (or that answered 410 Gone), each
   * in its own transaction: a concurrent change of one (409) leaves it for its next failure.
   */
  async disableFailing(tenantId: string, failing: readonly FailingSubscription[], afterHours: number): Promise<void> {
    for (const f of failing) {
      try {
        await this.tx.runAsTenant(tenantId, async (manager) => {
          const [row] = await manager.query<{ failing_since: Date | null }[]>(
            `SELECT failing_since FROM webhook_subscriptions WHERE id = $1 AND status = 'active' AND deleted_at IS NULL
               AND ($2 OR failing_since < now() - make_interval(hours => $3))`,
            [f.subscriptionId, f.gone, afterHours],
          );
          if (!row) return;
          const subscription = await this.subscriptions.findById(f.projectId, f.subscriptionId);
          if (!subscription) return;
          subscription.disable(
            f.gone
              ? 'The receiver answered 410 Gone: it asked for no more webhooks'
              : `Every delivery has failed since ${new Date(row.failing_since!).toISOString()} (last: ${f.lastError.slice(0, 300)})`,
          );
          await this.subscriptions.save(subscription);
        });
      } catch (error) {
        this.logger.warn(`could not disable webhook subscription ${f.subscriptionId}: ${(error as Error).message}`);
      }
    }
  }
}
