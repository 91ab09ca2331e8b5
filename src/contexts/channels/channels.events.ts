import type { EventOf } from '#kernel';
import type { OutboxMessage } from '#outbox/outbox-message';
import type { InboundMessage, MessageAck, MessageEdited, MessageReaction, MessageRevoked } from './domain/channel-event';

/*
 * The normalised channel events (whatever gateway or engine delivered them): other contexts import these types
 * from here, never from the channels' domain or infrastructure.
 */
export type {
  AdAttribution,
  ChannelParticipant,
  GeoLocation,
  InboundMessage,
  MediaRef,
  MessageAck,
  MessageDirection,
  MessageEdited,
  MessageReaction,
  MessageRevoked,
  MessageSource,
  MessageStatus,
  MessageType,
} from './domain/channel-event';
export { advanceStatus } from './domain/channel-event';

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

/** A payload as it travels through the outbox (JSON): its dates are ISO-8601 strings. */
export type OnTheWire<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | undefined ? string | undefined : T[K];
};

/** The channel and the inbox delivery a normalised event was read from. */
export interface ChannelEventOrigin {
  channelId: string;
  /** The inbox row (`channel_inbound_events.id`) the event was parsed from. */
  inboundEventId: string;
}

/**
 * `channel.message_received` (v1): a message, in either direction (`fromMe`: written on the phone or echoed from an
 * API send), parsed from a delivery. The same message arrives several times (WAHA retries, `message` and
 * `message.any`): consumers dedupe on (channelId, externalId). `sentAt` is ISO-8601.
 */
export type ChannelMessageReceived = OnTheWire<InboundMessage> & ChannelEventOrigin;
/** `channel.message_ack` (v1): a delivery report; may arrive before its message, out of order and more than once. */
export type ChannelMessageAck = MessageAck & ChannelEventOrigin;
/** `channel.message_reaction` (v1): an emoji set on a message (`emoji: ''` removes it). */
export type ChannelMessageReaction = OnTheWire<MessageReaction> & ChannelEventOrigin;
/** `channel.message_edited` (v1). */
export type ChannelMessageEdited = OnTheWire<MessageEdited> & ChannelEventOrigin;
/** `channel.message_revoked` (v1): deleted for everyone. */
export type ChannelMessageRevoked = OnTheWire<MessageRevoked> & ChannelEventOrigin;

export type ChannelEvents = {
  'channel.created': ChannelCreated;
  'channel.updated': ChannelUpdated;
  'channel.deleted': ChannelDeleted;
  'channel.restored': ChannelRestored;
  'channel.status_changed': ChannelStatusChanged;
};

export type InboundEventEvents = {
  'channel.inbound_received': ChannelInboundReceived;
  'channel.message_received': ChannelMessageReceived;
  'channel.message_ack': ChannelMessageAck;
  'channel.message_reaction': ChannelMessageReaction;
  'channel.message_edited': ChannelMessageEdited;
  'channel.message_revoked': ChannelMessageRevoked;
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
  'channel.message_received': 1,
  'channel.message_ack': 1,
  'channel.message_reaction': 1,
  'channel.message_edited': 1,
  'channel.message_revoked': 1,
};

export type ChannelsDomainEvent = EventOf<ChannelsEvents>;

/** A published event as a consumer receives it from the outbox: its `data` typed by its `type`. */
export type ChannelsMessage = {
  [K in ChannelsEventType]: Omit<OutboxMessage, 'type' | 'data'> & { readonly type: K; readonly data: ChannelsEvents[K] };
}[ChannelsEventType];

export function asChannelsMessage(message: OutboxMessage): ChannelsMessage | undefined {
  return Object.hasOwn(CHANNELS_EVENT_VERSIONS, message.type) ? (message as unknown as ChannelsMessage) : undefined;
}
