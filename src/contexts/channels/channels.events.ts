import type { EventOf } from '#kernel';
import type { OutboxMessage } from '#outbox/outbox-message';

/*
 * The events the channels context publishes. Secrets never appear in them: a change of a secret shows only as
 * `hasApiKey` / `hasWebhookSecret`.
 */

export type ChannelType = 'waha';
export type ChannelStatus = 'inactive' | 'connecting' | 'qr_required' | 'active' | 'error';
export const CHANNEL_STATUSES: readonly ChannelStatus[] = ['inactive', 'connecting', 'qr_required', 'active', 'error'];

/** The provider settings of a channel that are not secret. */
export interface ChannelConfig {
  /** WAHA's base URL, e.g. `http://waha:3000`. */
  baseUrl: string;
  /** The WAHA session this channel is. */
  session: string;
}

/** The fields of a channel as its events show them. */
export interface ChannelFieldsPayload {
  name: string;
  type: ChannelType;
  config: ChannelConfig;
  hasApiKey: boolean;
  hasWebhookSecret: boolean;
  sessionTimeoutMinutes: number | null;
  debounceMs: number;
  pipelineId: string | null;
}

/** `channel.created` (v1). The channel starts `inactive`. */
export type ChannelCreated = ChannelFieldsPayload;

/** `channel.updated` (v1): the changed fields with their new values. */
export interface ChannelUpdated {
  changes: Partial<ChannelFieldsPayload>;
}

/** `channel.deleted` (v1) and `channel.restored` (v1). */
export type ChannelDeleted = Record<string, never>;
export type ChannelRestored = Record<string, never>;

/**
 * `channel.status_changed` (v1): `activation` / `deactivation` by a user, or `provider` when the provider reported
 * its session's state (`providerStatus`, e.g. WAHA's `SCAN_QR_CODE`).
 */
export interface ChannelStatusChanged {
  from: ChannelStatus;
  to: ChannelStatus;
  cause: 'activation' | 'deactivation' | 'provider';
  providerStatus?: string;
}

/**
 * `channel.inbound_received` (v1): a webhook delivery, stored as received before any processing (the inbox).
 * `body` is the raw body; `event` the provider's event name (`message.any`, `session.status`, ...). Consumers
 * interpret it; the same provider message may arrive several times (retries, `message` and `message.any`).
 */
export interface ChannelInboundReceived {
  channelId: string;
  provider: ChannelType;
  event: string;
  body: string;
}

export type ChannelEvents = {
  'channel.created': ChannelCreated;
  'channel.updated': ChannelUpdated;
  'channel.deleted': ChannelDeleted;
  'channel.restored': ChannelRestored;
  'channel.status_changed': ChannelStatusChanged;
};

export type InboundEventEvents = {
  'channel.inbound_received': ChannelInboundReceived;
};

export type ChannelsEvents = ChannelEvents & InboundEventEvents;
export type ChannelsEventType = keyof ChannelsEvents;

export const CHANNELS_EVENT_VERSIONS: { readonly [K in ChannelsEventType]: number } = {
  'channel.created': 1,
  'channel.updated': 1,
  'channel.deleted': 1,
  'channel.restored': 1,
  'channel.status_changed': 1,
  'channel.inbound_received': 1,
};

export type ChannelsDomainEvent = EventOf<ChannelsEvents>;

/** A published event as a consumer receives it from the outbox: its `data` typed by its `type`. */
export type ChannelsMessage = {
  [K in ChannelsEventType]: Omit<OutboxMessage, 'type' | 'data'> & { readonly type: K; readonly data: ChannelsEvents[K] };
}[ChannelsEventType];

export function asChannelsMessage(message: OutboxMessage): ChannelsMessage | undefined {
  return Object.hasOwn(CHANNELS_EVENT_VERSIONS, message.type) ? (message as unknown as ChannelsMessage) : undefined;
}
