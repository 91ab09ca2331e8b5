import type { ChannelConfig, ChannelStatus, ChannelType } from '../channels.events';
import type { ChannelEvent } from '../domain/channel-event';

/** The field a sealed secret belongs to: bound into the ciphertext, with the channel id, so it opens nowhere else. */
export type SecretField = 'apiKey' | 'webhookSecret';

/** Port: the channel secrets' key (AES-256-GCM at rest) and the webhook tokens derived from it. */
export interface ChannelSecrets {
  seal(channelId: string, field: SecretField, plaintext: string): string;
  open(channelId: string, field: SecretField, sealed: string): string;
  /** A fresh random secret (a webhook HMAC key made at activation when the channel has none). */
  generate(): string;
  /** The unguessable token of the channel's webhook URL: derived from the channel id under the key. */
  webhookToken(channelId: string): string;
  /** SHA-256 (hex) of a token: what the database keeps and looks deliveries up by. */
  tokenHash(token: string): string;
  /** The channel's webhook URL: absolute with PUBLIC_URL, else a path. */
  webhookUrl(channelId: string): string;
}

export interface WebhookRegistrationRequest {
  baseUrl: string;
  apiKey?: string;
  session: string;
  url: string;
  hmacKey: string;
  events: string[];
}

/** Port: the provider's side of a channel. Throws ChannelsErrors.providerUnavailable when the provider fails. */
export interface ChannelProvider {
  registerWebhook(request: WebhookRegistrationRequest): Promise<void>;
}

/** What a webhook delivery needs to know of its channel, found by its token before the tenant is known. */
export interface WebhookTarget {
  channelId: string;
  tenantId: string;
  projectId: string;
  type: ChannelType;
  webhookSecretEncrypted: string | null;
  session: string | null;
  status: ChannelStatus;
  deleted: boolean;
}

/** Port: the narrow cross-tenant look-up of a webhook token's channel (the crm_auth role's function). */
export interface WebhookDirectory {
  byTokenHash(tokenHash: string): Promise<WebhookTarget | undefined>;
}

/** A channel as the API shows it: never its secrets, only whether it has them. */
export interface ChannelView {
  id: string;
  name: string;
  type: ChannelType;
  status: ChannelStatus;
  /** Activated (and not deactivated since): the provider's session reports move `status` only then. */
  enabled: boolean;
  config: ChannelConfig;
  hasApiKey: boolean;
  hasWebhookSecret: boolean;
  webhookUrl: string;
  sessionTimeoutMinutes: number | null;
  debounceMs: number;
  pipelineId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type ChannelRecord = Omit<ChannelView, 'webhookUrl'>;

export interface ChannelReadModel {
  /** Live channels, oldest first. */
  list(projectId: string, take: number, after?: string): Promise<ChannelRecord[]>;
  get(projectId: string, id: string): Promise<ChannelRecord | null>;
}

/** Port: a provider's webhook body read into a normalised event; undefined when it cannot be read. Never throws. */
export interface InboundParser {
  parse(provider: ChannelType, body: string): ChannelEvent | undefined;
}

export const INBOUND_PARSER = Symbol('InboundParser');
export const CHANNEL_SECRETS = Symbol('ChannelSecrets');
export const CHANNEL_PROVIDER = Symbol('ChannelProvider');
export const WEBHOOK_DIRECTORY = Symbol('WebhookDirectory');
export const CHANNEL_READ_MODEL = Symbol('ChannelReadModel');

/** The tenant and project a command acts in. */
export interface ChannelsScope {
  readonly tenantId: string;
  readonly projectId: string;
}

/** The WAHA events a channel's webhook subscribes to. */
export const WAHA_EVENTS = [
  'message',
  'message.any',
  'message.ack',
  'message.reaction',
  'message.revoked',
  'message.edited',
  'session.status',
];
