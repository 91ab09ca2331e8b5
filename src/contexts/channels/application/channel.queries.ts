import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { ChannelsErrors } from '../channels.errors';
import { CHANNEL_READ_MODEL, CHANNEL_SECRETS, ChannelReadModel, ChannelRecord, ChannelSecrets, ChannelView } from './channels.ports';

export class ListChannelsQuery extends Query<Page<ChannelView>> {
  constructor(
    readonly projectId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/** Live channels, oldest first, keyset-paginated on the time-ordered id. */
@QueryHandler(ListChannelsQuery)
export class ListChannelsHandler implements IQueryHandler<ListChannelsQuery> {
  constructor(
    @Inject(CHANNEL_READ_MODEL) private readonly channels: ChannelReadModel,
    @Inject(CHANNEL_SECRETS) private readonly secrets: ChannelSecrets,
  ) {}

  async execute({ projectId, limit, cursor }: ListChannelsQuery): Promise<Page<ChannelView>> {
    return toPage(await this.channels.list(projectId, limit + 1, decodeCursor(cursor)), limit, (c) => withUrl(c, this.secrets));
  }
}

export class GetChannelQuery extends Query<ChannelView> {
  constructor(
    readonly projectId: string,
    readonly id: string,
  ) {
    super();
  }
}

@QueryHandler(GetChannelQuery)
export class GetChannelHandler implements IQueryHandler<GetChannelQuery> {
  constructor(
    @Inject(CHANNEL_READ_MODEL) private readonly channels: ChannelReadModel,
    @Inject(CHANNEL_SECRETS) private readonly secrets: ChannelSecrets,
  ) {}

  async execute({ projectId, id }: GetChannelQuery): Promise<ChannelView> {
    const channel = await this.channels.get(projectId, id);
    if (!channel) throw ChannelsErrors.notFound('channel', id);
    return withUrl(channel, this.secrets);
  }
}

function withUrl(record: ChannelRecord, secrets: ChannelSecrets): ChannelView {
  return { ...record, webhookUrl: secrets.webhookUrl(record.id) };
}
