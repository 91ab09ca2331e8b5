import { Inject } from '@nestjs/common';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { ChannelStatus, asChannelsMessage } from '../channels.events';
import { CHANNEL_REPOSITORY, ChannelRepository } from '../domain/channels.repositories';

/** WAHA's session states and the channel status each one means; other states change nothing. */
const WAHA_STATUS: Readonly<Record<string, ChannelStatus>> = {
  STARTING: 'connecting',
  SCAN_QR_CODE: 'qr_required',
  WORKING: 'active',
  STOPPED: 'inactive',
  FAILED: 'error',
};

/** Moves a channel's status with the `session.status` events its webhook received (the inbox, via the outbox). */
@Consumer()
export class ChannelStatusConsumer implements OutboxConsumer {
  readonly name = 'channels.session_status';
  readonly eventTypes = ['channel.inbound_received'];

  constructor(@Inject(CHANNEL_REPOSITORY) private readonly channels: ChannelRepository) {}

  async handle(messages: readonly OutboxMessage[]): Promise<void> {
    // In order: one batch may carry several states of one session, and the last one wins.
    for (const message of messages) {
      const event = asChannelsMessage(message);
      if (event?.type !== 'channel.inbound_received' || event.data.event !== 'session.status' || !event.projectId) continue;
      const providerStatus = sessionStatusOf(event.data.body);
      const status = providerStatus && WAHA_STATUS[providerStatus];
      if (!providerStatus || !status) continue;
      const channel = await this.channels.findById(event.projectId, event.data.channelId);
      // A channel deleted since: its status no longer matters.
      if (!channel) continue;
      channel.reportStatus(status, providerStatus);
      await this.channels.save(channel);
    }
  }
}

/** `payload.status` of a WAHA `session.status` body; undefined when the body has none. */
function sessionStatusOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { payload?: { status?: unknown } } | null;
    const status = parsed?.payload?.status;
    return typeof status === 'string' ? status : undefined;
  } catch {
    return undefined;
  }
}
