import { Injectable } from '@nestjs/common';
import { In, IsNull, LessThan, MoreThan } from 'typeorm';
import { TransactionRunner } from '#persistence/transaction-runner';
import { DeliveryStatus, DeliveryView, SubscriptionView, WebhookReadModel } from '../application/webhooks.ports';
import { WebhookDeliveryEntity, WebhookSubscriptionEntity } from './webhook.entities';

const subscriptionView = (r: WebhookSubscriptionEntity): SubscriptionView => ({
  id: r.id,
  url: r.url,
  events: r.events,
  description: r.description,
  status: r.status,
  disabledReason: r.disabledReason,
  failingSince: r.failingSince,
  // An expired previous secret no longer signs: it is not worth showing.
  previousSecretExpiresAt: r.previousSecretExpiresAt && r.previousSecretExpiresAt > new Date() ? r.previousSecretExpiresAt : null,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const deliveryView = (r: WebhookDeliveryEntity): DeliveryView => ({
  id: r.id,
  subscriptionId: r.subscriptionId,
  eventId: r.eventId,
  eventType: r.eventType,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt : null,
  lastAttemptAt: r.lastAttemptAt,
  responseStatus: r.responseStatus,
  durationMs: r.durationMs,
  error: r.error,
  deliveredAt: r.deliveredAt,
  createdAt: r.createdAt,
});

@Injectable()
export class TypeormWebhookReadModel implements WebhookReadModel {
  constructor(private readonly tx: TransactionRunner) {}

  async list(projectId: string, take: number, after?: string): Promise<SubscriptionView[]> {
    const rows = await this.tx.manager.find(WebhookSubscriptionEntity, {
      where: { projectId, deletedAt: IsNull(), ...(after ? { id: MoreThan(after) } : {}) },
      order: { id: 'ASC' },
      take,
    });
    return rows.map(subscriptionView);
  }

  async get(projectId: string, id: string): Promise<SubscriptionView | null> {
    const row = await this.tx.manager.findOne(WebhookSubscriptionEntity, { where: { id, projectId } });
    return row ? subscriptionView(row) : null;
  }

  async deliveries(
    projectId: string,
    subscriptionId: string,
    take: number,
    before?: string,
    status?: DeliveryStatus,
  ): Promise<DeliveryView[]> {
    const rows = await this.tx.manager.find(WebhookDeliveryEntity, {
      // Everything but the body: a page of deliveries need not carry every payload.
      select: {
        id: true,
        subscriptionId: true,
        eventId: true,
        eventType: true,
        status: true,
        attempts: true,
        nextAttemptAt: true,
        lastAttemptAt: true,
        responseStatus: true,
        durationMs: true,
        error: true,
        deliveredAt: true,
        createdAt: true,
      },
      where: { projectId, subscriptionId, ...(status ? { status } : {}), ...(before ? { id: LessThan(before) } : {}) },
      order: { id: 'DESC' },
      take,
    });
    return rows.map(deliveryView);
  }

  async delivery(projectId: string, id: string): Promise<DeliveryView | null> {
    const row = await this.tx.manager.findOne(WebhookDeliveryEntity, { where: { id, projectId } });
    return row ? deliveryView(row) : null;
  }

  async activeSubscriptions(projectIds: readonly string[]): Promise<{ id: string; projectId: string; events: string[] }[]> {
    return this.tx.manager.find(WebhookSubscriptionEntity, {
      select: { id: true, projectId: true, events: true },
      where: { projectId: In([...projectIds]), status: 'active', deletedAt: IsNull() },
    });
  }

  async subscriptionExists(projectId: string, id: string): Promise<boolean> {
    return this.tx.manager.exists(WebhookSubscriptionEntity, { where: { id, projectId } });
  }
}
