import { Inject } from '@nestjs/common';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { ChannelsMessage, asChannelsMessage } from '../../channels/channels.events';
import { MESSAGE_REPOSITORY, MessageRepository, PENDING_ACK_REPOSITORY, PendingAckRepository } from '../domain/conversations.repositories';

/**
 * Applies what happens to a message after it was sent: delivery reports (never backwards; kept until the message
 * arrives when they overtake it), reactions, edits and revokes. Reactions, edits and revokes of a message never
 * recorded (sent before the channel existed, a Status post) are ignored.
 */
@Consumer()
export class MessageUpdatesConsumer implements OutboxConsumer {
  readonly name = 'conversations.updates';
  readonly eventTypes = ['channel.message_ack', 'channel.message_reaction', 'channel.message_edited', 'channel.message_revoked'];

  constructor(
    @Inject(MESSAGE_REPOSITORY) private readonly messages: MessageRepository,
    @Inject(PENDING_ACK_REPOSITORY) private readonly pendingAcks: PendingAckRepository,
  ) {}

  async handle(batch: readonly OutboxMessage[]): Promise<void> {
    for (const message of batch) {
      const event = asChannelsMessage(message);
      if (event?.projectId) await this.apply(event, event.projectId);
    }
  }

  private async apply(event: ChannelsMessage, projectId: string): Promise<void> {
    switch (event.type) {
      case 'channel.message_ack': {
        const { channelId, externalId, waMessageId, status } = event.data;
        await this.pendingAcks.lock(channelId, waMessageId);
        const message = await this.messages.find({ channelId, externalId, waMessageId });
        if (!message) return this.pendingAcks.keep({ tenantId: event.tenantId, projectId, channelId, waMessageId, status });
        message.report(status);
        return this.messages.save(message);
      }
      case 'channel.message_reaction': {
        const { channelId, externalId, waMessageId, emoji, from, fromMe, at } = event.data;
        const message = await this.messages.find({ channelId, externalId, waMessageId });
        if (!message) return;
        message.react(fromMe ? 'me' : (from.id ?? from.phone ?? from.lid ?? 'unknown'), emoji, new Date(at));
        return this.messages.save(message);
      }
      case 'channel.message_edited': {
        const { channelId, externalId, waMessageId, newText, at } = event.data;
        const message = await this.messages.find({ channelId, externalId, waMessageId });
        if (!message) return;
        message.edit(newText, at ? new Date(at) : event.occurredAt);
        return this.messages.save(message);
      }
      case 'channel.message_revoked': {
        const { channelId, externalId, waMessageId, at } = event.data;
        const message = await this.messages.find({ channelId, externalId, waMessageId });
        if (!message) return;
        message.revoke(at ? new Date(at) : event.occurredAt);
        return this.messages.save(message);
      }
      default:
        return;
    }
  }
}
