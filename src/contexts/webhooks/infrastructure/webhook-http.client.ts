import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { LookupAddress, lookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { isPrivateAddress, literalAddress } from './private-addresses';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** An attempt's outcome: `status` when the receiver answered; `error` for anything but a 2xx. */
export interface WebhookResponse {
  status: number | null;
  ok: boolean;
  error: string | null;
  durationMs: number;
  /** From a `Retry-After` of 429 / 503 answers, in ms. */
  retryAfterMs?: number;
}

/** How much of an error response is kept for the delivery log. */
const ERROR_BODY_BYTES = 512;

/**
 * POSTs a webhook: only http(s), never following redirects (a 3xx is a failure), within WEBHOOK_TIMEOUT_MS
 * from connection to last byte, and connecting only to an address that passed the private-address check after
 * DNS resolution (the lookup itself refuses, so a rebinding DNS answer cannot slip in between check and connect).
 */
@Injectable()
export class WebhookHttpClient implements OnModuleDestroy {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleDestroy(): void {
    for (const agent of Object.values(this.agents)) agent.destroy();
  }

  post(request: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const allowPrivate = this.config.webhooks.allowPrivateUrls;
    return new Promise<WebhookResponse>((resolve) => {
      let settled = false;
      const finish = (response: Omit<WebhookResponse, 'durationMs'>) => {
        if (settled) return;
        settled = true;
        resolve({ ...response, durationMs: elapsed() });
      };
      const fail = (error: string) => finish({ status: null, ok: false, error });
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        return fail('invalid URL');
      }
      const agent = url.protocol === 'http:' || url.protocol === 'https:' ? this.agents[url.protocol] : undefined;
      if (!agent) return fail(`unsupported scheme ${url.protocol}`);
      // A literal address is connected to without any lookup: check it here.
      const literal = literalAddress(url.hostname);
      if (literal && !allowPrivate && isPrivateAddress(literal)) return fail(`refused: ${literal} is a private address`);
      const client = url.protocol === 'https:' ? https : http;
      const req = client.request(
        url,
        {
          method: 'POST',
          agent,
          lookup: allowPrivate ? undefined : publicOnlyLookup,
          timeout: this.config.webhooks.timeoutMs,
          signal: AbortSignal.timeout(this.config.webhooks.timeoutMs),
          headers: {
            ...request.headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(request.body)),
            'user-agent': 'crm-webhooks/1',
          },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          const chunks: Buffer[] = [];
          let kept = 0;
          res.on('data', (chunk: Buffer) => {
            if (!ok && kept < ERROR_BODY_BYTES) {
              chunks.push(chunk);
              kept += chunk.length;
            }
          });
          res.on('error', (error) => fail(describe(error, this.config.webhooks.timeoutMs)));
          res.on('end', () => {
            const snippet = Buffer.concat(chunks).subarray(0, ERROR_BODY_BYTES).toString('utf8').trim();
            const redirect = status >= 300 && status < 400 ? ` (redirect to ${res.headers.location ?? '?'} not followed)` : '';
            finish({
              status,
              ok,
              error: ok ? null : `HTTP ${status}${redirect}${snippet ? `: ${snippet}` : ''}`,
              retryAfterMs: retryAfterMs(res.headers['retry-after']),
            });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timed out after ${this.config.webhooks.timeoutMs} ms`)));
      req.on('error', (error) => fail(describe(error, this.config.webhooks.timeoutMs)));
      req.end(request.body);
    });
  }
}

/** dns.lookup that fails when any address of the host is private, so the socket never connects to one. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((a) => isPrivateAddress(a.address));
    if (refused || addresses.length === 0) {
      const denied = Object.assign(new Error(`refused: ${hostname} resolves to private address ${refused?.address ?? 'none'}`), {
        code: 'EWEBHOOKPRIVATE',
      });
      return callback(denied, '', 0);
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

function describe(error: Error, timeoutMs: number): string {
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}

function retryAfterMs(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}
