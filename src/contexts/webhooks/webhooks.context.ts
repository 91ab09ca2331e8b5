import { Webhooks1764000014000 } from '#migrations/1764000014000-webhooks';
import type { BoundedContext } from '#platform/bounded-context';
import { DeliveryLog } from './infrastructure/delivery-log';
import { TypeormWebhookSubscriptionRepository } from './infrastructure/typeorm-webhook-subscription.repository';
import { WEBHOOKS_ENTITIES, WebhookDeliveryEntity, WebhookSubscriptionEntity } from './infrastructure/webhook.entities';
import { WebhooksModule } from './webhooks.module';

export const WEBHOOKS_CONTEXT: BoundedContext = {
  name: 'webhooks',
  module: WebhooksModule,
  entities: WEBHOOKS_ENTITIES,
  repositories: [
    { entity: WebhookSubscriptionEntity, adapter: TypeormWebhookSubscriptionRepository },
    { entity: WebhookDeliveryEntity, adapter: DeliveryLog },
  ],
  migrations: [Webhooks1764000014000],
};
