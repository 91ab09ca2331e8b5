import { Inject, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { CHANNELS_API, ChannelsApi, OutboundContent, SendAccepted } from '../../channels/channels.api';
import {
  CHAT_REPOSITORY,
  ChatRepository,
  MESSAGE_REPOSITORY,
  MessageRepository,
  PENDING_ACK_REPOSITORY,
  PendingAckRepository,
} from '../domain/conversations.repositories';
import { Message } from '../domain/message';

/** How many provider answers are remembered per process (see `answered`). */
const REMEMBERED_ANSWERS = 10_000;

/**
 * Sends the messages users asked for (`message.send_requested`) through CHANNELS_API and marks them `sent` with the
 * provider's ids, or `failed` with the reason. The HTTP call happens inside the relay's delivery transaction (the
 * outbox has no other place for it) but before any lock is taken: the message row is read, the call made, and only
 * then the message's advisory lock taken and the row re-read and written. A retryable failure throws, so the relay
 * retries with backoff; a refusal, or a failure on the last attempt (RELAY_MAX_ATTEMPTS), marks the message failed.
 */
@Consumer()
export class OutboundMessageConsumer implements OutboxConsumer {
  readonly name = 'conversations.outbound';
  readonly eventTypes = ['message.send_requested'];
  private readonly logger = new Logger(OutboundMessageConsumer.name);
  /**
   * The provider's answers by event id. When another event of the batch fails, the relay rolls the batch back and
   * delivers it again event by event in this process: the remembered answer is stored then instead of sending the
   * message a second time (WAHA has no idempotency key).
   */
  private readonly answered = new Map<string, SendAccepted>();

  constructor(
    @Inject(CHAT_REPOSITORY) private readonly chats: ChatRepository,
    @Inject(MESSAGE_REPOSITORY) private readonly messages: MessageRepository,
    @Inject(PENDING_ACK_REPOSITORY) private readonly pendingAcks: PendingAckRepository,
    @Inject(CHANNELS_API) private readonly channels: ChannelsApi,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(batch: readonly OutboxMessage[]): Promise<void> {
    for (const event of batch) {
      if (event.type === 'message.send_requested') await this.send(event);
    }
  }

  private async send(event: OutboxMessage): Promise<void> {
    const message = await this.messages.findById(event.aggregateId);
    if (!message?.isPending) return; // already sent (its echo came first) or failed
    const chat = await this.chats.findById(message.snapshot.projectId, message.snapshot.chatId);
    if (!chat) return;
    const answer =
      this.answered.get(event.eventId) ??
      (await this.channels.send(message.snapshot.channelId, contentOf(message, chat.snapshot.externalId)));
    if (answer.ok) {
      this.remember(event.eventId, answer);
      await this.markSent(message.id, message.snapshot.channelId, answer);
      return;
    }
    const lastAttempt = event.retryCount + 1 >= this.config.relay.maxAttempts;
    if (answer.retryable && !lastAttempt) throw new Error(`send of message ${message.id} failed, will retry: ${answer.reason}`);
    this.logger.warn(`message ${message.id} failed: ${answer.reason}`);
    const current = await this.messages.findById(message.id);
    current?.markFailed(answer.reason);
    if (current) await this.messages.save(current);
  }

  /** Under the provider message's lock, so its echo or an early ack processed meanwhile cannot be missed. */
  private async markSent(id: string, channelId: string, answer: SendAccepted): Promise<void> {
    await this.pendingAcks.lock(channelId, answer.waMessageId);
    const current = await this.messages.findById(id);
    if (!current?.isPending) return; // the echo came first and marked it with the same ids
    current.markSent(answer.externalId, answer.waMessageId, new Date());
    for (const status of await this.pendingAcks.take(channelId, answer.waMessageId)) current.report(status);
    await this.messages.save(current);
  }

  private remember(eventId: string, answer: SendAccepted): void {
    this.answered.set(eventId, answer);
    if (this.answered.size > REMEMBERED_ANSWERS) this.answered.delete(this.answered.keys().next().value as string);
  }
}

function contentOf(message: Message, chatExternalId: string): OutboundContent {
  const { text, media } = message.snapshot;
  if (media)
    return {
      chatExternalId,
      media: { url: media.url, mimetype: media.mimetype, filename: media.filename },
      ...(text ? { caption: text } : {}),
    };
  return { chatExternalId, text: text ?? '' };
}
