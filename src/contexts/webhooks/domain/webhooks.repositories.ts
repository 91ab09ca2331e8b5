import type { ExpectedVersion } from '#kernel';
import type { WebhookSubscription } from './webhook-subscription';

/** Port: webhook subscriptions of the current tenant (RLS hides every other tenant). */
export interface WebhookSubscriptionRepository {
  findById(projectId: string, id: string): Promise<WebhookSubscription | null>;
  save(subscription: WebhookSubscription, expected?: ExpectedVersion): Promise<void>;
}

export const WEBHOOK_SUBSCRIPTION_REPOSITORY = Symbol('WebhookSubscriptionRepository');
