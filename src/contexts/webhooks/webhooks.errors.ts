import { DomainError, NotFoundError, ValidationError } from '#kernel';

/*
 * Every error code the webhooks context answers with: clients match on these codes, so they are part of the
 * published contract.
 */

/** The resources whose absence answers 404 with `<resource>.not_found`. */
export type WebhooksResource = 'webhook_subscription' | 'webhook_delivery';

export const WebhooksErrors = {
  notFound: (resource: WebhooksResource, id?: string) => new NotFoundError(resource, id),

  invalidUrl: (value: string) =>
    new ValidationError('webhook_subscription.invalid_url', `"${value.slice(0, 200)}" is not an http(s) URL without credentials`, {
      field: 'url',
    }),
  privateUrl: (host: string) =>
    new DomainError(
      'unprocessable',
      'webhook_subscription.private_url',
      `${host.slice(0, 200)} is or resolves to a loopback, private, link-local or metadata address: webhooks are not sent there`,
      { field: 'url' },
    ),
  unresolvableUrl: (host: string) =>
    new DomainError('unprocessable', 'webhook_subscription.unresolvable_url', `${host.slice(0, 200)} does not resolve to an address`, {
      field: 'url',
    }),
  invalidEventPattern: (pattern: string) =>
    new ValidationError(
      'webhook_subscription.invalid_event_pattern',
      `"${pattern.slice(0, 100)}" is not an event type (contact.created), a prefix pattern (contact.*) or *`,
      { field: 'events' },
    ),
  eventsRequired: () =>
    new ValidationError('webhook_subscription.events_required', 'A subscription needs at least one event pattern', { field: 'events' }),
  invalidEventId: () =>
    new ValidationError(
      'webhook_delivery.invalid_event_id',
      'An event id is 1 to 200 letters, digits, _ : or - (it is signed, so no dots)',
    ),
  deleted: () => new DomainError('conflict', 'webhook_subscription.deleted', 'A deleted subscription cannot be changed'),
  alreadyDeleted: () => new DomainError('conflict', 'webhook_subscription.already_deleted', 'The subscription is already deleted'),
  notPausable: (status: string) =>
    new DomainError('conflict', 'webhook_subscription.not_active', `Only an active subscription can be paused (it is ${status})`),
  notResumable: () => new DomainError('conflict', 'webhook_subscription.already_active', 'The subscription is already active'),
} as const;
