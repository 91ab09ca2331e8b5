import { Injectable } from '@nestjs/common';
import { ExpectedVersion } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { TransactionRunner } from '#persistence/transaction-runner';
import { WebhookSubscription } from '../domain/webhook-subscription';
import { WebhookSubscriptionRepository } from '../domain/webhooks.repositories';
import { WebhookSubscriptionEntity } from './webhook.entities';

@Injectable()
export class TypeormWebhookSubscriptionRepository implements WebhookSubscriptionRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async findById(projectId: string, id: string): Promise<WebhookSubscription | null> {
    const row = await this.tx.manager.findOne(WebhookSubscriptionEntity, { where: { id, projectId } });
    return row
      ? WebhookSubscription.restore({
          id: row.id,
          tenantId: row.tenantId,
          projectId: row.projectId,
          url: row.url,
          events: row.events,
          description: row.description,
          status: row.status,
          disabledReason: row.disabledReason,
          secretEncrypted: row.secretEncrypted,
          previousSecretEncrypted: row.previousSecretEncrypted,
          previousSecretExpiresAt: row.previousSecretExpiresAt,
          version: row.version,
          deletedAt: row.deletedAt ?? null,
        })
      : null;
  }

  async save(subscription: WebhookSubscription, expected?: ExpectedVersion): Promise<void> {
    const { version: _v, ...row } = subscription.snapshot;
    await this.store.save(subscription, WebhookSubscriptionEntity, row, 'webhook_subscription', { expected });
  }
}
