import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/*
 * A webhook consumer written from the Standard Webhooks specification (standardwebhooks.com, 1.0.0), not from
 * the sender's code: the key is the base64 after `whsec_`; the signed content is `${webhook-id}.${webhook-timestamp}.${raw body}`;
 * `webhook-signature` is a space-delimited list of `v1,<base64 HMAC-SHA256>`, any one of which may match; the
 * timestamp must be within a tolerance of now (replay protection).
 */

const TOLERANCE_SECONDS = 5 * 60;

/** Which of `secrets` signed this request (indexes), [] when none did or the timestamp is out of tolerance. */
export function verifiedBy(secrets: readonly string[], headers: IncomingHttpHeaders, rawBody: string): number[] {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return [];
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return [];
  const received = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  return secrets.flatMap((secret, index) => {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${rawBody}`).digest();
    return received.some((r) => r.length === expected.length && timingSafeEqual(r, expected)) ? [index] : [];
  });
}

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A real HTTP receiver: records every request; `answer` decides the status per request (default 200). */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  answer: (request: ReceivedWebhook, countOnPath: number) => number = () => 200;
  /** Requests to these paths are recorded and never answered (timeouts). */
  readonly silentPaths = new Set<string>();
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        this.received.push(request);
        if (this.silentPaths.has(request.path)) return;
        res.statusCode = this.answer(request, this.on(request.path).length);
        res.end(res.statusCode < 300 ? 'ok' : 'failing on purpose');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  on(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
