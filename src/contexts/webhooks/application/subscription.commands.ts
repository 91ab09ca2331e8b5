import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { ExpectedVersion, assertExpectedVersion, newId } from '#kernel';
import { WebhooksErrors } from '../webhooks.errors';
import { WEBHOOK_SUBSCRIPTION_REPOSITORY, WebhookSubscriptionRepository } from '../domain/webhooks.repositories';
import { WebhookSubscription } from '../domain/webhook-subscription';
import {
  DELIVERY_QUEUE,
  DELIVERY_WAKE_UP,
  DESTINATION_POLICY,
  DeliveryQueue,
  DeliveryWakeUp,
  DestinationPolicy,
  WEBHOOK_SECRETS,
  WebhookSecrets,
  WebhooksScope,
} from './webhooks.ports';

export interface SubscriptionInput {
  url: string;
  events: string[];
  description?: string | null;
}

/** Answers with the new secret: the only time it is shown. */
export class CreateSubscriptionCommand extends Command<{ id: string; secret: string }> {
  constructor(
    readonly scope: WebhooksScope,
    readonly input: SubscriptionInput,
  ) {
    super();
  }
}

@CommandHandler(CreateSubscriptionCommand)
export class CreateSubscriptionHandler implements ICommandHandler<CreateSubscriptionCommand> {
  constructor(
    @Inject(WEBHOOK_SUBSCRIPTION_REPOSITORY) private readonly subscriptions: WebhookSubscriptionRepository,
    @Inject(WEBHOOK_SECRETS) private readonly secrets: WebhookSecrets,
    @Inject(DESTINATION_POLICY) private readonly destinations: DestinationPolicy,
  ) {}

  async execute({ scope, input }: CreateSubscriptionCommand): Promise<{ id: string; secret: string }> {
    const id = newId();
    const secret = this.secrets.generate();
    const subscription = WebhookSubscription.create({
      id,
      tenantId: scope.tenantId,
      projectId: scope.projectId,
      url: await this.destinations.assertDeliverable(input.url),
      events: input.events,
      description: input.description ?? null,
      secretEncrypted: this.secrets.seal(id, secret),
    });
    await this.subscriptions.save(subscription);
    return { id, secret };
  }
}

export type SubscriptionChange =
  { kind: 'update'; patch: Partial<SubscriptionInput> } | { kind: 'delete' } | { kind: 'pause' } | { kind: 'resume' };

export class ChangeSubscriptionCommand extends Command<{ id: string }> {
  constructor(
    readonly scope: WebhooksScope,
    readonly id: string,
    readonly change: SubscriptionChange,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

@CommandHandler(ChangeSubscriptionCommand)
export class ChangeSubscriptionHandler implements ICommandHandler<ChangeSubscriptionCommand> {
  constructor(
    @Inject(WEBHOOK_SUBSCRIPTION_REPOSITORY) private readonly subscriptions: WebhookSubscriptionRepository,
    @Inject(DESTINATION_POLICY) private readonly destinations: DestinationPolicy,
    @Inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue,
    @Inject(DELIVERY_WAKE_UP) private readonly workers: DeliveryWakeUp,
  ) {}

  async execute({ scope, id, change, expected }: ChangeSubscriptionCommand): Promise<{ id: string }> {
    const subscription = await this.subscriptions.findById(scope.projectId, id);
    if (!subscription) throw WebhooksErrors.notFound('webhook_subscription', id);
    assertExpectedVersion('webhook_subscription', subscription.version, expected);
    switch (change.kind) {
      case 'update': {
        const { url, events, description } = change.patch;
        subscription.update({
          url: url === undefined ? undefined : await this.destinations.assertDeliverable(url),
          events,
          description,
        });
        break;
      }
      case 'delete':
        subscription.delete();
        await this.queue.abandonPending(id, 'The subscription was deleted');
        break;
      case 'pause':
        subscription.pause();
        break;
      case 'resume':
        subscription.resume();
        await this.queue.clearFailures(id);
        this.workers.wake();
        break;
    }
    await this.subscriptions.save(subscription, expected);
    return { id };
  }
}

/** Answers with the new secret: the only time it is shown. */
export class RotateSecretCommand extends Command<{ id: string; secret: string }> {
  constructor(
    readonly scope: WebhooksScope,
    readonly id: string,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

@CommandHandler(RotateSecretCommand)
export class RotateSecretHandler implements ICommandHandler<RotateSecretCommand> {
  constructor(
    @Inject(WEBHOOK_SUBSCRIPTION_REPOSITORY) private readonly subscriptions: WebhookSubscriptionRepository,
    @Inject(WEBHOOK_SECRETS) private readonly secrets: WebhookSecrets,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ scope, id, expected }: RotateSecretCommand): Promise<{ id: string; secret: string }> {
    const subscription = await this.subscriptions.findById(scope.projectId, id);
    if (!subscription) throw WebhooksErrors.notFound('webhook_subscription', id);
    assertExpectedVersion('webhook_subscription', subscription.version, expected);
    const secret = this.secrets.generate();
    const graceMs = this.config.webhooks.rotationGraceMinutes * 60_000;
    subscription.rotateSecret(this.secrets.seal(id, secret), graceMs > 0 ? new Date(Date.now() + graceMs) : null);
    await this.subscriptions.save(subscription, expected);
    return { id, secret };
  }
}

export class ReplayDeliveryCommand extends Command<{ id: string }> {
  constructor(
    readonly scope: WebhooksScope,
    readonly id: string,
  ) {
    super();
  }
}

/** The same event (same webhook-id) is sent again at once, with a fresh retry schedule. */
@CommandHandler(ReplayDeliveryCommand)
export class ReplayDeliveryHandler implements ICommandHandler<ReplayDeliveryCommand> {
  constructor(
    @Inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue,
    @Inject(DELIVERY_WAKE_UP) private readonly workers: DeliveryWakeUp,
  ) {}

  async execute({ scope, id }: ReplayDeliveryCommand): Promise<{ id: string }> {
    if (!(await this.queue.replay(scope.projectId, id))) throw WebhooksErrors.notFound('webhook_delivery', id);
    this.workers.wake();
    return { id };
  }
}
