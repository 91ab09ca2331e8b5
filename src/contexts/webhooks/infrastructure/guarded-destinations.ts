import { Inject, Injectable } from '@nestjs/common';
import { LookupAddress, lookup } from 'node:dns';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { DestinationPolicy } from '../application/webhooks.ports';
import { WebhooksErrors } from '../webhooks.errors';
import { isPrivateAddress, literalAddress } from './private-addresses';

const LOOKUP_TIMEOUT_MS = 5000;

/**
 * Only http(s) URLs without credentials, whose host is and resolves to public addresses only (unless
 * WEBHOOK_ALLOW_PRIVATE_URLS). Checked at creation for a clear 4xx; the sender checks again on every attempt
 * against the address it actually connects to, since DNS may answer differently later (rebinding).
 */
@Injectable()
export class GuardedDestinations implements DestinationPolicy {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async assertDeliverable(value: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(value.trim());
    } catch {
      throw WebhooksErrors.invalidUrl(value);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || !url.hostname)
      throw WebhooksErrors.invalidUrl(value);
    if (url.href.length > 2000) throw WebhooksErrors.invalidUrl(value);
    if (this.config.webhooks.allowPrivateUrls) return url.href;
    const literal = literalAddress(url.hostname);
    const addresses = literal ? [literal] : await resolve(url.hostname);
    if (addresses.length === 0) throw WebhooksErrors.unresolvableUrl(url.hostname);
    if (addresses.some(isPrivateAddress)) throw WebhooksErrors.privateUrl(url.hostname);
    return url.href;
  }
}

/** Every address the host resolves to ([] when it does not resolve in time). */
function resolve(hostname: string): Promise<string[]> {
  return new Promise((done) => {
    const timer = setTimeout(() => done([]), LOOKUP_TIMEOUT_MS);
    lookup(hostname, { all: true }, (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => {
      clearTimeout(timer);
      done(error ? [] : addresses.map((a) => a.address));
    });
  });
}
