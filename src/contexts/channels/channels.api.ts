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

export interface ChannelsApi {
  /** The live channel, or undefined (deleted, another project, another tenant). */
  getChannel(input: { projectId: string; channelId: string }): Promise<ChannelSummary | undefined>;
}

/** Nest token of the ChannelsApi provider, exported by ChannelsModule. */
export const CHANNELS_API = Symbol('ChannelsApi');
