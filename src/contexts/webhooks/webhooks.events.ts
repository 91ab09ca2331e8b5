import type { EventOf } from '#kernel';

/*
 * The events the webhooks context publishes. Secrets never appear in them: a rotation shows only until when the
 * previous secret still signs.
 */

export type WebhookSubscriptionStatus = 'active' | 'paused' | 'disabled';
export const WEBHOOK_SUBSCRIPTION_STATUSES: readonly WebhookSubscriptionStatus[] = ['active', 'paused', 'disabled'];

/** The fields of a subscription as its events show them. */
export interface WebhookSubscriptionFields {
  url: string;
  /** Event types (`message.received`), prefix patterns (`contact.*`) or `*`. */
  events: string[];
  description: string | null;
}

/** `webhook_subscription.created` (v1): active from the start. */
export type WebhookSubscriptionCreated = WebhookSubscriptionFields;
/** `webhook_subscription.updated` (v1): the changed fields with their new values. */
export interface WebhookSubscriptionUpdated {
  changes: Partial<WebhookSubscriptionFields>;
}
/** `webhook_subscription.deleted`, `.paused`, `.resumed` (v1). */
export type WebhookSubscriptionDeleted = Record<string, never>;
export type WebhookSubscriptionPaused = Record<string, never>;
export interface WebhookSubscriptionResumed {
  from: WebhookSubscriptionStatus;
}
/** `webhook_subscription.disabled` (v1): deliveries kept failing (or the receiver answered 410 Gone). */
export interface WebhookSubscriptionDisabled {
  reason: string;
}
/** `webhook_subscription.secret_rotated` (v1): the previous secret signs too until `previousSecretExpiresAt`. */
export interface WebhookSubscriptionSecretRotated {
  previousSecretExpiresAt: string | null;
}

export type WebhooksEvents = {
  'webhook_subscription.created': WebhookSubscriptionCreated;
  'webhook_subscription.updated': WebhookSubscriptionUpdated;
  'webhook_subscription.deleted': WebhookSubscriptionDeleted;
  'webhook_subscription.paused': WebhookSubscriptionPaused;
  'webhook_subscription.resumed': WebhookSubscriptionResumed;
  'webhook_subscription.disabled': WebhookSubscriptionDisabled;
  'webhook_subscription.secret_rotated': WebhookSubscriptionSecretRotated;
};
export type WebhooksEventType = keyof WebhooksEvents;

export const WEBHOOKS_EVENT_VERSIONS: { readonly [K in WebhooksEventType]: number } = {
  'webhook_subscription.created': 1,
  'webhook_subscription.updated': 1,
  'webhook_subscription.deleted': 1,
  'webhook_subscription.paused': 1,
  'webhook_subscription.resumed': 1,
  'webhook_subscription.disabled': 1,
  'webhook_subscription.secret_rotated': 1,
};

export type WebhooksDomainEvent = EventOf<WebhooksEvents>;
