import { Inject } from '@nestjs/common';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { matchesEvent } from '../domain/event-filter';
import {
  DELIVERY_QUEUE,
  DELIVERY_WAKE_UP,
  DeliveryQueue,
  DeliveryRequest,
  DeliveryWakeUp,
  WEBHOOK_READ_MODEL,
  WebhookReadModel,
} from './webhooks.ports';

/**
 * Internal bookkeeping events, not facts a project's integrations should see: durable timers firing and the raw
 * provider inbox (its parsed facts, such as `channel.message_received`, are published on their own).
 */
const INTERNAL_EVENT_PREFIXES = ['timer.', 'channel.inbound_received'];

/**
 * Matches every project event against the project's active subscriptions and queues one delivery per
 * (subscription, event), in the relay's transaction: exactly once per event (processed_events), and the queue's
 * unique key makes a repeat harmless anyway. Sending happens afterwards, outside any transaction (the dispatcher).
 */
@Consumer()
export class WebhookFanoutConsumer implements OutboxConsumer {
  readonly name = 'webhooks.fanout';
  readonly eventTypes = ['*'];

  constructor(
    @Inject(WEBHOOK_READ_MODEL) private readonly webhooks: WebhookReadModel,
    @Inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue,
    @Inject(DELIVERY_WAKE_UP) private readonly workers: DeliveryWakeUp,
  ) {}

  async handle(events: readonly OutboxMessage[]): Promise<void> {
    const published = events.filter((e) => e.projectId && !INTERNAL_EVENT_PREFIXES.some((prefix) => e.type.startsWith(prefix)));
    if (published.length === 0) return;
    const subscriptions = await this.webhooks.activeSubscriptions([...new Set(published.map((e) => e.projectId!))]);
    if (subscriptions.length === 0) return;
    const requests: DeliveryRequest[] = [];
    for (const event of published) {
      for (const subscription of subscriptions) {
        if (subscription.projectId !== event.projectId || !matchesEvent(subscription.events, event.type)) continue;
        requests.push({
          projectId: subscription.projectId,
          subscriptionId: subscription.id,
          eventId: event.eventId,
          eventType: event.type,
          occurredAt: new Date(event.occurredAt).toISOString(),
          data: event.data,
        });
      }
    }
    if (requests.length === 0) return;
    await this.queue.enqueue(requests);
    this.workers.wake();
  }
}
