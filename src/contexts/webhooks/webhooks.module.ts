import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  ChangeSubscriptionHandler,
  CreateSubscriptionHandler,
  ReplayDeliveryHandler,
  RotateSecretHandler,
} from './application/subscription.commands';
import {
  GetDeliveryHandler,
  GetSubscriptionHandler,
  ListDeliveriesHandler,
  ListSubscriptionsHandler,
} from './application/subscription.queries';
import { WebhookFanoutConsumer } from './application/webhook-fanout.consumer';
import { WebhooksApiService } from './application/webhooks-api.service';
import { DELIVERY_QUEUE, DELIVERY_WAKE_UP, DESTINATION_POLICY, WEBHOOK_READ_MODEL, WEBHOOK_SECRETS } from './application/webhooks.ports';
import { WEBHOOK_SUBSCRIPTION_REPOSITORY } from './domain/webhooks.repositories';
import { WebhookDeliveriesController } from './http/webhook-deliveries.controller';
import { WebhookSubscriptionsController } from './http/webhook-subscriptions.controller';
import { DeliveryLog } from './infrastructure/delivery-log';
import { GuardedDestinations } from './infrastructure/guarded-destinations';
import { KeyedWebhookSecrets } from './infrastructure/keyed-webhook-secrets';
import { TypeormDeliveryQueue } from './infrastructure/typeorm-delivery-queue';
import { TypeormWebhookSubscriptionRepository } from './infrastructure/typeorm-webhook-subscription.repository';
import { TypeormWebhookReadModel } from './infrastructure/typeorm-webhook.read-model';
import { WEBHOOKS_ENTITIES } from './infrastructure/webhook.entities';
import { WebhookDispatcher } from './infrastructure/webhook-dispatcher';
import { WebhookHttpClient } from './infrastructure/webhook-http.client';
import { WEBHOOKS_API } from './webhooks.api';

@Module({
  imports: [TypeOrmModule.forFeature(WEBHOOKS_ENTITIES)],
  controllers: [WebhookSubscriptionsController, WebhookDeliveriesController],
  providers: [
    { provide: WEBHOOK_SUBSCRIPTION_REPOSITORY, useClass: TypeormWebhookSubscriptionRepository },
    { provide: WEBHOOK_READ_MODEL, useClass: TypeormWebhookReadModel },
    { provide: WEBHOOK_SECRETS, useClass: KeyedWebhookSecrets },
    { provide: DESTINATION_POLICY, useClass: GuardedDestinations },
    { provide: DELIVERY_QUEUE, useClass: TypeormDeliveryQueue },
    WebhookDispatcher,
    { provide: DELIVERY_WAKE_UP, useExisting: WebhookDispatcher },
    { provide: WEBHOOKS_API, useClass: WebhooksApiService },
    DeliveryLog,
    WebhookHttpClient,
    CreateSubscriptionHandler,
    ChangeSubscriptionHandler,
    RotateSecretHandler,
    ReplayDeliveryHandler,
    ListSubscriptionsHandler,
    GetSubscriptionHandler,
    ListDeliveriesHandler,
    GetDeliveryHandler,
    WebhookFanoutConsumer,
  ],
  exports: [WEBHOOKS_API],
})
export class WebhooksModule {}
