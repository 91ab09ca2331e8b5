import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { decryptSecret, encryptSecret, parseSecretKey } from '#kernel';
import { WebhookSecrets } from '../application/webhooks.ports';
import { generateSecret } from './standard-webhooks';

/**
 * Signing secrets sealed with AES-256-GCM (the kernel's secret box) under the same key as channel secrets
 * (CHANNEL_SECRETS_KEY), each bound to its subscription: a sealed value copied onto another row does not open.
 */
@Injectable()
export class KeyedWebhookSecrets implements WebhookSecrets {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = parseSecretKey(config.channelSecretsKey);
  }

  generate(): string {
    return generateSecret();
  }

  seal(subscriptionId: string, secret: string): string {
    return encryptSecret(secret, this.key, `webhook_subscription:${subscriptionId}`);
  }

  open(subscriptionId: string, sealed: string): string {
    return decryptSecret(sealed, this.key, `webhook_subscription:${subscriptionId}`);
  }
}
