import type { ChannelConfig, ChannelStatus, ChannelType } from './channels.events';

/*
 * What other contexts may call synchronously in the channels context (everything else they learn from
 * channels.events.ts). Calls join the caller's transaction when there is one and act in its tenant under RLS.
 */

/** A live channel as other contexts see it (never its secrets). */
export interface ChannelSummary {
  channelId: string;
  projectId: string;
  name: string;
  type: ChannelType;
  status: ChannelStatus;
  config: ChannelConfig;
  sessionTimeoutMinutes: number | null;
  debounceMs: number;
  pipelineId: string | null;
}

/** What to send into a chat (`chatExternalId` as the provider names it, e.g. `5511987654321@c.us`). */
export type OutboundContent =
  | { chatExternalId: string; text: string }
  | { chatExternalId: string; media: { url: string; mimetype: string; filename?: string }; caption?: string };

/** The provider accepted the message: its serialised id (unique per channel) and the bare WhatsApp id. */
export interface SendAccepted {
  ok: true;
  externalId: string;
  waMessageId: string;
}

/** The provider did not take the message; `retryable` says whether the same send may succeed later. */
export interface SendRefused {
  ok: false;
  retryable: boolean;
  reason: string;
}

export type SendResult = SendAccepted | SendRefused;

export interface ChannelsApi {
  /** The live channel, or undefined (deleted, another project, another tenant). */
  getChannel(input: { projectId: string; channelId: string }): Promise<ChannelSummary | undefined>;
  /**
   * Sends a message through the channel's provider: an HTTP call, made wherever the caller is (keep no row locks
   * while it runs). A missing or deleted channel is a non-retryable refusal.
   */
  send(channelId: string, content: OutboundContent): Promise<SendResult>;
}

/** Nest token of the ChannelsApi provider, exported by ChannelsModule. */
export const CHANNELS_API = Symbol('ChannelsApi');
