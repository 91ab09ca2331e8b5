import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChannelStatusConsumer } from './application/channel-status.consumer';
import { ChangeChannelHandler, CreateChannelHandler, SetChannelActivationHandler } from './application/channel.commands';
import { GetChannelHandler, ListChannelsHandler } from './application/channel.queries';
import { CHANNEL_PROVIDER, CHANNEL_READ_MODEL, CHANNEL_SECRETS, INBOUND_PARSER, WEBHOOK_DIRECTORY } from './application/channels.ports';
import { ReceiveWahaWebhookHandler } from './application/webhook.commands';
import { CHANNELS_API } from './channels.api';
import { CHANNEL_REPOSITORY, INBOUND_EVENT_REPOSITORY } from './domain/channels.repositories';
import { ChannelsController } from './http/channels.controller';
import { WebhooksController } from './http/webhooks.controller';
import { CHANNELS_ENTITIES } from './infrastructure/channel.entities';
import { KeyedChannelSecrets } from './infrastructure/channel-secrets';
import { ChannelsApiService, TypeormChannelReadModel } from './infrastructure/typeorm-channel.read-model';
import { TypeormChannelRepository, TypeormInboundEventRepository } from './infrastructure/typeorm-channel.repository';
import { WahaChannelProvider } from './infrastructure/waha-channel.provider';
import { WahaMessageSender } from './infrastructure/waha-message.sender';
import { WahaInboundParser } from './infrastructure/waha/waha-inbound.parser';
import { WebhookLookups } from './infrastructure/webhook-lookups';

@Module({
  imports: [TypeOrmModule.forFeature(CHANNELS_ENTITIES)],
  controllers: [ChannelsController, WebhooksController],
  providers: [
    { provide: CHANNEL_REPOSITORY, useClass: TypeormChannelRepository },
    { provide: INBOUND_EVENT_REPOSITORY, useClass: TypeormInboundEventRepository },
    { provide: CHANNEL_READ_MODEL, useClass: TypeormChannelReadModel },
    { provide: CHANNEL_SECRETS, useClass: KeyedChannelSecrets },
    { provide: CHANNEL_PROVIDER, useClass: WahaChannelProvider },
    { provide: WEBHOOK_DIRECTORY, useClass: WebhookLookups },
    { provide: INBOUND_PARSER, useClass: WahaInboundParser },
    { provide: CHANNELS_API, useClass: ChannelsApiService },
    CreateChannelHandler,
    ChangeChannelHandler,
    SetChannelActivationHandler,
    ListChannelsHandler,
    GetChannelHandler,
    ReceiveWahaWebhookHandler,
    ChannelStatusConsumer,
    WahaMessageSender,
  ],
  exports: [CHANNELS_API],
})
export class ChannelsModule {}
