import type { ExpectedVersion } from '#kernel';
import type { Channel } from './channel';
import type { InboundEvent } from './inbound-event';

/** Port: channels of the current tenant (RLS hides every other tenant). */
export interface ChannelRepository {
  findById(projectId: string, id: string, options?: { withDeleted?: boolean }): Promise<Channel | null>;
  save(channel: Channel, expected?: ExpectedVersion): Promise<void>;
}

/** Port: the inbox of webhook deliveries (append-only). */
export interface InboundEventRepository {
  save(inbound: InboundEvent): Promise<void>;
}

export const CHANNEL_REPOSITORY = Symbol('ChannelRepository');
export const INBOUND_EVENT_REPOSITORY = Symbol('InboundEventRepository');
