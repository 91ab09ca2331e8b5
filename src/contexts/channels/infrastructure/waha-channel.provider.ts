import { Injectable } from '@nestjs/common';
import { WahaClient, WahaRequestError } from './waha/waha.client';
import { ChannelProvider, WebhookRegistrationRequest } from '../application/channels.ports';
import { ChannelsErrors } from '../channels.errors';

/** WAHA as a channel provider: registers our webhook in the session's configuration. */
@Injectable()
export class WahaChannelProvider implements ChannelProvider {
  async registerWebhook(request: WebhookRegistrationRequest): Promise<void> {
    const client = new WahaClient({ baseUrl: request.baseUrl, apiKey: request.apiKey, timeoutMs: 10_000 });
    try {
      await client.configureSessionWebhook(request.session, {
        url: request.url,
        hmacKey: request.hmacKey,
        events: request.events,
        retries: { policy: 'exponential', delaySeconds: 2, attempts: 15 },
      });
    } catch (error) {
      if (error instanceof WahaRequestError) throw ChannelsErrors.providerUnavailable(error.message);
      throw error;
    }
  }
}
