import { Injectable } from '@nestjs/common';
import { newId } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { RequestContext } from '#tenancy';
import { DeliveryQueue, DeliveryRequest } from '../application/webhooks.ports';

@Injectable()
export class TypeormDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
  ) {}

  /** One multi-row insert; a (subscription, event) already queued keeps its row, whose id is returned. */
  async enqueue(requests: readonly DeliveryRequest[]): Promise<string[]> {
    const tenantId = this.context.tenantId;
    if (!tenantId) throw new Error('DeliveryQueue.enqueue needs a tenant');
    const ids = requests.map(() => newId());
    const bodies = requests.map((r) => JSON.stringify({ type: r.eventType, timestamp: r.occurredAt, data: r.data }));
    const rows = await this.tx.manager.query<{ id: string; subscription_id: string; event_id: string }[]>(
      `WITH input AS (
         SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[])
                AS i(id, project_id, subscription_id, event_id, event_type, body)
       ), inserted AS (
         INSERT INTO webhook_deliveries (id, tenant_id, project_id, subscription_id, event_id, event_type, body)
         SELECT id, $1, project_id, subscription_id, event_id, event_type, body FROM input
         ON CONFLICT (tenant_id, subscription_id, event_id) DO NOTHING
         RETURNING id, subscription_id, event_id
       )
       SELECT id, subscription_id, event_id FROM inserted
       UNION ALL
       SELECT d.id, d.subscription_id, d.event_id FROM webhook_deliveries d JOIN input i
         ON d.tenant_id = $1 AND d.subscription_id = i.subscription_id AND d.event_id = i.event_id AND d.id <> i.id`,
      [
        tenantId,
        ids,
        requests.map((r) => r.projectId),
        requests.map((r) => r.subscriptionId),
        requests.map((r) => r.eventId),
        requests.map((r) => r.eventType),
        bodies,
      ],
    );
    const byKey = new Map(rows.map((r) => [`${r.subscription_id}:${r.event_id}`, r.id]));
    return requests.map((r) => byKey.get(`${r.subscriptionId}:${r.eventId}`)!);
  }

  async replay(projectId: string, id: string): Promise<boolean> {
    // A claim in flight loses its token: its outcome is not recorded over the replay's.
    const [, affected] = await this.tx.manager.query<[unknown[], number]>(
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), claim_token = NULL, updated_at = now()
        WHERE id = $1 AND project_id = $2`,
      [id, projectId],
    );
    return affected > 0;
  }

  async abandonPending(subscriptionId: string, reason: string): Promise<void> {
    await this.tx.manager.query(
      `UPDATE webhook_deliveries SET status = 'failed', error = $2, claim_token = NULL, updated_at = now()
        WHERE subscription_id = $1 AND status = 'pending'`,
      [subscriptionId, reason],
    );
  }

  async clearFailures(subscriptionId: string): Promise<void> {
    await this.tx.manager.query(`UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`, [
      subscriptionId,
    ]);
  }
}
