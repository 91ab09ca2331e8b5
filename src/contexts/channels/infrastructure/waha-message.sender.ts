import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '#persistence/transaction-runner';
import { CHANNEL_SECRETS, ChannelSecrets } from '../application/channels.ports';
import { OutboundContent, SendResult } from '../channels.api';
import { ChannelEntity } from './channel.entities';
import { SentMessage, WahaClient, WahaFile, WahaRequestError } from './waha/waha.client';

/**
 * Sends outbound messages through the channel's WAHA session with its decrypted API key. Media go by mimetype:
 * image/* as an image, video/* as a video, audio/* as a voice note, anything else as a file. Other channel types
 * plug into CHANNELS_API.send next to this one.
 */
@Injectable()
export class WahaMessageSender {
  constructor(
    private readonly tx: TransactionRunner,
    @Inject(CHANNEL_SECRETS) private readonly secrets: ChannelSecrets,
  ) {}

  async send(channelId: string, content: OutboundContent): Promise<SendResult> {
    const channel = await this.tx.run((m) => m.findOne(ChannelEntity, { where: { id: channelId } }));
    if (!channel) return { ok: false, retryable: false, reason: 'channel.not_found: the channel was deleted' };
    const apiKey = channel.apiKeyEncrypted ? this.secrets.open(channelId, 'apiKey', channel.apiKeyEncrypted) : undefined;
    const client = new WahaClient({ baseUrl: channel.config.baseUrl, apiKey, timeoutMs: 15_000 });
    try {
      const sent = await this.call(client, channel.config.session, content);
      return { ok: true, ...sent };
    } catch (error) {
      if (error instanceof WahaRequestError) return { ok: false, retryable: error.retryable, reason: error.message };
      throw error;
    }
  }

  private call(client: WahaClient, session: string, content: OutboundContent): Promise<SentMessage> {
    const chatId = content.chatExternalId;
    if ('text' in content) return client.sendText({ session, chatId, text: content.text });
    const file: WahaFile = content.media;
    const caption = content.caption;
    const kind = file.mimetype.split('/')[0];
    if (kind === 'image') return client.sendImage({ session, chatId, file, caption });
    if (kind === 'video') return client.sendVideo({ session, chatId, file, caption });
    // WhatsApp voice notes carry no caption
    if (kind === 'audio') return client.sendVoice({ session, chatId, file, convert: file.mimetype !== 'audio/ogg' });
    return client.sendFile({ session, chatId, file, caption });
  }
}
