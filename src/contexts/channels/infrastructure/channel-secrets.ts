import { Inject, Injectable } from '@nestjs/common';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { decryptSecret, encryptSecret, parseSecretKey } from '#kernel';
import { ChannelSecrets, SecretField } from '../application/channels.ports';

/**
 * Channel secrets sealed with AES-256-GCM under CHANNEL_SECRETS_KEY, each bound to its channel and field. Webhook
 * tokens are HMAC-SHA256 of the channel id under the same key (a purpose label keeps the two uses apart): the URL
 * can be shown again at any time without storing the token, and the database holds only the token's SHA-256.
 */
@Injectable()
export class KeyedChannelSecrets implements ChannelSecrets {
  private readonly key: Buffer;
  private readonly publicUrl: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = parseSecretKey(config.channelSecretsKey);
    this.publicUrl = config.publicUrl ?? '';
  }

  seal(channelId: string, field: SecretField, plaintext: string): string {
    return encryptSecret(plaintext, this.key, `channel:${channelId}:${field}`);
  }

  open(channelId: string, field: SecretField, sealed: string): string {
    return decryptSecret(sealed, this.key, `channel:${channelId}:${field}`);
  }

  generate(): string {
    return randomBytes(32).toString('base64url');
  }

  webhookToken(channelId: string): string {
    return createHmac('sha256', this.key).update(`channel-webhook-token:${channelId}`).digest('base64url');
  }

  tokenHash(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }

  webhookUrl(channelId: string): string {
    return `${this.publicUrl}/api/v1/webhooks/waha/${this.webhookToken(channelId)}`;
  }
}
