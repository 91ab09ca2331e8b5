import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '#persistence/transaction-runner';
import { WebhooksApi } from '../webhooks.api';
import { WebhooksErrors } from '../webhooks.errors';
import { DELIVERY_QUEUE, DELIVERY_WAKE_UP, DeliveryQueue, DeliveryWakeUp, WEBHOOK_READ_MODEL, WebhookReadModel } from './webhooks.ports';

/** The published port: queues a delivery like the fan-out does, ignoring the subscription's event filter. */
@Injectable()
export class WebhooksApiService implements WebhooksApi {
  constructor(
    private readonly tx: TransactionRunner,
    @Inject(WEBHOOK_READ_MODEL) private readonly webhooks: WebhookReadModel,
    @Inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue,
    @Inject(DELIVERY_WAKE_UP) private readonly workers: DeliveryWakeUp,
  ) {}

  deliverTo(input: {
    projectId: string;
    subscriptionId: string;
    event: { id: string; type: string; occurredAt: string; data: unknown };
  }): Promise<{ deliveryId: string }> {
    return this.tx.run(async () => {
      if (!(await this.webhooks.subscriptionExists(input.projectId, input.subscriptionId)))
        throw WebhooksErrors.notFound('webhook_subscription', input.subscriptionId);
      if (!/^[A-Za-z0-9_:-]{1,200}$/.test(input.event.id)) throw WebhooksErrors.invalidEventId();
      const occurredAt = new Date(input.event.occurredAt);
      const [deliveryId] = await this.queue.enqueue([
        {
          projectId: input.projectId,
          subscriptionId: input.subscriptionId,
          eventId: input.event.id,
          eventType: input.event.type,
          occurredAt: Number.isFinite(occurredAt.getTime()) ? occurredAt.toISOString() : new Date().toISOString(),
          data: input.event.data ?? null,
        },
      ]);
      this.workers.wake();
      return { deliveryId };
    });
  }
}
