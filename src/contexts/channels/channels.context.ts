import { Channels1764000007000 } from '#migrations/1764000007000-channels';
import type { BoundedContext } from '#platform/bounded-context';
import { ChannelsModule } from './channels.module';
import { CHANNELS_ENTITIES, ChannelEntity, ChannelInboundEventEntity } from './infrastructure/channel.entities';
import { TypeormChannelRepository, TypeormInboundEventRepository } from './infrastructure/typeorm-channel.repository';

export const CHANNELS_CONTEXT: BoundedContext = {
  name: 'channels',
  module: ChannelsModule,
  entities: CHANNELS_ENTITIES,
  repositories: [
    { entity: ChannelEntity, adapter: TypeormChannelRepository },
    { entity: ChannelInboundEventEntity, adapter: TypeormInboundEventRepository },
  ],
  migrations: [Channels1764000007000],
};
