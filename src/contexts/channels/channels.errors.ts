import { DomainError, NotFoundError, ValidationError } from '#kernel';

/*
 * Every error code the channels context answers with: clients match on these codes, so they are part of the
 * published contract.
 */

/** The resources whose absence answers 404 with `<resource>.not_found`. */
export type ChannelsResource = 'channel' | 'webhook';

export const ChannelsErrors = {
  notFound: (resource: ChannelsResource, id?: string) => new NotFoundError(resource, id),

  nameRequired: () => new ValidationError('channel.name_required', 'A channel needs a name', { field: 'name' }),
  invalidBaseUrl: (value: string) =>
    new ValidationError('channel.invalid_base_url', `"${value}" is not an http(s) URL`, { field: 'config.baseUrl' }),
  sessionRequired: () =>
    new ValidationError('channel.session_required', 'A WAHA channel needs its session name', { field: 'config.session' }),
  channelDeleted: () => new DomainError('conflict', 'channel.deleted', 'A deleted channel cannot be changed; restore it first'),
  alreadyDeleted: () => new DomainError('conflict', 'channel.already_deleted', 'The channel is already deleted'),
  notDeleted: () => new DomainError('conflict', 'channel.not_deleted', 'The channel is not deleted'),
  publicUrlRequired: () =>
    new DomainError(
      'conflict',
      'channel.public_url_required',
      'Activation registers an absolute webhook URL with WAHA: configure PUBLIC_URL (the address WAHA reaches this API at)',
    ),
  providerUnavailable: (detail: string) =>
    new DomainError('bad_gateway', 'channel.provider_error', `The channel's provider refused or did not answer: ${detail}`),

  // webhook deliveries
  badSignature: () =>
    new DomainError('unauthorized', 'webhook.bad_signature', 'X-Webhook-Hmac is missing or is not the HMAC-SHA512 of the body'),
  badAlgorithm: (value: string) =>
    new DomainError('unauthorized', 'webhook.bad_algorithm', `X-Webhook-Hmac-Algorithm must be sha512 (got "${value.slice(0, 40)}")`),
  invalidPayload: (message: string) => new ValidationError('webhook.invalid_payload', message),
  wrongSession: () => new ValidationError('webhook.wrong_session', "The event belongs to another WAHA session than the channel's"),
} as const;
