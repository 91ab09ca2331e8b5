import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { WebhooksErrors } from '../webhooks.errors';
import { DeliveryStatus, DeliveryView, SubscriptionView, WEBHOOK_READ_MODEL, WebhookReadModel } from './webhooks.ports';

export class ListSubscriptionsQuery extends Query<Page<SubscriptionView>> {
  constructor(
    readonly projectId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/** Live subscriptions, oldest first, keyset-paginated on the time-ordered id. */
@QueryHandler(ListSubscriptionsQuery)
export class ListSubscriptionsHandler implements IQueryHandler<ListSubscriptionsQuery> {
  constructor(@Inject(WEBHOOK_READ_MODEL) private readonly webhooks: WebhookReadModel) {}

  async execute({ projectId, limit, cursor }: ListSubscriptionsQuery): Promise<Page<SubscriptionView>> {
    return toPage(await this.webhooks.list(projectId, limit + 1, decodeCursor(cursor)), limit, (s) => s);
  }
}

export class GetSubscriptionQuery extends Query<SubscriptionView> {
  constructor(
    readonly projectId: string,
    readonly id: string,
  ) {
    super();
  }
}

@QueryHandler(GetSubscriptionQuery)
export class GetSubscriptionHandler implements IQueryHandler<GetSubscriptionQuery> {
  constructor(@Inject(WEBHOOK_READ_MODEL) private readonly webhooks: WebhookReadModel) {}

  async execute({ projectId, id }: GetSubscriptionQuery): Promise<SubscriptionView> {
    const subscription = await this.webhooks.get(projectId, id);
    if (!subscription) throw WebhooksErrors.notFound('webhook_subscription', id);
    return subscription;
  }
}

export class ListDeliveriesQuery extends Query<Page<DeliveryView>> {
  constructor(
    readonly projectId: string,
    readonly subscriptionId: string,
    readonly limit: number,
    readonly cursor?: string,
    readonly status?: DeliveryStatus,
  ) {
    super();
  }
}

/** A subscription's deliveries, newest first, keyset-paginated. */
@QueryHandler(ListDeliveriesQuery)
export class ListDeliveriesHandler implements IQueryHandler<ListDeliveriesQuery> {
  constructor(@Inject(WEBHOOK_READ_MODEL) private readonly webhooks: WebhookReadModel) {}

  async execute({ projectId, subscriptionId, limit, cursor, status }: ListDeliveriesQuery): Promise<Page<DeliveryView>> {
    if (!(await this.webhooks.get(projectId, subscriptionId))) throw WebhooksErrors.notFound('webhook_subscription', subscriptionId);
    const rows = await this.webhooks.deliveries(projectId, subscriptionId, limit + 1, decodeCursor(cursor), status);
    return toPage(rows, limit, (d) => d);
  }
}

export class GetDeliveryQuery extends Query<DeliveryView> {
  constructor(
    readonly projectId: string,
    readonly id: string,
  ) {
    super();
  }
}

@QueryHandler(GetDeliveryQuery)
export class GetDeliveryHandler implements IQueryHandler<GetDeliveryQuery> {
  constructor(@Inject(WEBHOOK_READ_MODEL) private readonly webhooks: WebhookReadModel) {}

  async execute({ projectId, id }: GetDeliveryQuery): Promise<DeliveryView> {
    const delivery = await this.webhooks.delivery(projectId, id);
    if (!delivery) throw WebhooksErrors.notFound('webhook_delivery', id);
    return delivery;
  }
}
