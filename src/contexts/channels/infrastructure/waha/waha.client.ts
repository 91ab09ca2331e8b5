import { isDeepStrictEqual } from 'node:util';
import { JsonObject, obj, str } from './json-reader';
import { readMessageId, waMessageIdOf } from './waha-ids';

export interface WahaClientOptions {
  /** WAHA's base URL, e.g. `http://waha:3000`. */
  baseUrl: string;
  /** Sent as `X-Api-Key` when WAHA is configured with `WAHA_API_KEY`. */
  apiKey?: string;
  /** Per request, connection and body included. */
  timeoutMs?: number;
}

export interface WahaFile {
  url: string;
  mimetype: string;
  filename?: string;
}

export interface SendTextInput {
  session: string;
  chatId: string;
  text: string;
  /** The id of the quoted message, e.g. `false_11111111111@c.us_AAAA`. */
  replyTo?: string;
}

export interface SendMediaInput {
  session: string;
  chatId: string;
  file: WahaFile;
  caption?: string;
  replyTo?: string;
}

export interface SendVoiceInput {
  session: string;
  chatId: string;
  file: WahaFile;
  replyTo?: string;
  /** Let WAHA convert the file to WhatsApp's voice format (OGG/Opus) with ffmpeg first. */
  convert?: boolean;
}

/** The sent message's id as WAHA serialises it, and the bare WhatsApp id inside it. */
export interface SentMessage {
  externalId: string;
  waMessageId: string;
}

export interface WebhookRegistration {
  url: string;
  hmacKey: string;
  events: string[];
  retries?: { policy: 'constant' | 'linear' | 'exponential'; delaySeconds: number; attempts: number };
  customHeaders?: { name: string; value: string }[];
}

export type WahaFailure = 'http' | 'timeout' | 'unreachable' | 'invalid_response';

/** A failed call to WAHA. `retryable` says whether the same call may succeed later (5xx, 408, 429, timeout, down). */
export class WahaRequestError extends Error {
  constructor(
    readonly operation: string,
    readonly failure: WahaFailure,
    readonly retryable: boolean,
    message: string,
    readonly status?: number,
  ) {
    super(`WAHA ${operation}: ${message}`);
    this.name = 'WahaRequestError';
  }
}

const RETRYABLE_4XX = new Set([408, 429]);

/** WAHA's HTTP API: sending messages and registering the session's webhook. */
export class WahaClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: WahaClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  sendText(input: SendTextInput): Promise<SentMessage> {
    const { session, chatId, text, replyTo } = input;
    return this.send('sendText', { session, chatId, text, ...(replyTo ? { reply_to: replyTo } : {}) });
  }

  sendImage(input: SendMediaInput): Promise<SentMessage> {
    return this.send('sendImage', mediaBody(input));
  }

  sendFile(input: SendMediaInput): Promise<SentMessage> {
    return this.send('sendFile', mediaBody(input));
  }

  sendVideo(input: SendMediaInput): Promise<SentMessage> {
    return this.send('sendVideo', { ...mediaBody(input), convert: false });
  }

  sendVoice(input: SendVoiceInput): Promise<SentMessage> {
    const { session, chatId, file, replyTo, convert } = input;
    return this.send('sendVoice', { session, chatId, file, convert: convert ?? false, ...(replyTo ? { reply_to: replyTo } : {}) });
  }

  /**
   * Registers (or replaces, matched by URL) our webhook in the session's config and leaves WAHA's other webhooks
   * and settings as they were: `PUT /api/sessions/{session}` takes the full config, and restarts a running session,
   * so nothing is sent when the webhook is already registered as asked. Answers whether the config changed.
   */
  async configureSessionWebhook(session: string, registration: WebhookRegistration): Promise<{ changed: boolean }> {
    const path = `/api/sessions/${encodeURIComponent(session)}`;
    const info = obj(await this.request('GET', path, undefined, 'get session')) ?? {};
    const config = obj(info.config) ?? {};
    const current = Array.isArray(config.webhooks) ? config.webhooks : [];
    const ours = webhookConfig(registration);
    if (current.some((w) => isDeepStrictEqual(withoutNulls(w), ours))) return { changed: false };
    const webhooks = [...current.filter((w) => str(obj(w)?.url) !== registration.url), ours];
    const body = { name: session, ...(Array.isArray(info.apps) ? { apps: info.apps } : {}), config: { ...config, webhooks } };
    await this.request('PUT', path, body, 'update session');
    return { changed: true };
  }

  private async send(endpoint: string, body: JsonObject): Promise<SentMessage> {
    const response = obj(await this.request('POST', `/api/${endpoint}`, body, endpoint));
    // WEBJS answers with whatsapp-web.js ids ({ _serialized }), NOWEB with a Baileys key, GOWS and WPP with a string
    const externalId = readMessageId(response?.id) ?? readMessageId(response?.key);
    if (!externalId) throw new WahaRequestError(endpoint, 'invalid_response', false, 'the answer has no message id');
    return { externalId, waMessageId: waMessageIdOf(externalId) };
  }

  private async request(method: string, path: string, body: unknown, operation: string): Promise<unknown> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.options.apiKey) headers['X-Api-Key'] = this.options.apiKey;
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw networkError(operation, error, this.timeoutMs);
    }
    if (!response.ok) {
      const retryable = response.status >= 500 || RETRYABLE_4XX.has(response.status);
      throw new WahaRequestError(operation, 'http', retryable, `HTTP ${response.status}${detail(text)}`, response.status);
    }
    try {
      return text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new WahaRequestError(operation, 'invalid_response', false, 'the answer is not JSON', response.status);
    }
  }
}

function mediaBody(input: SendMediaInput): JsonObject {
  const { session, chatId, file, caption, replyTo } = input;
  return { session, chatId, file, ...(caption ? { caption } : {}), ...(replyTo ? { reply_to: replyTo } : {}) };
}

function webhookConfig(registration: WebhookRegistration): JsonObject {
  const { url, events, hmacKey, retries, customHeaders } = registration;
  return { url, events, hmac: { key: hmacKey }, ...(retries ? { retries } : {}), ...(customHeaders ? { customHeaders } : {}) };
}

/** WAHA may store absent options as null; they mean the same as absent ones. */
function withoutNulls(value: unknown): unknown {
  const o = obj(value);
  return o ? Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) : value;
}

function networkError(operation: string, error: unknown, timeoutMs: number): WahaRequestError {
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return new WahaRequestError(operation, 'timeout', true, `no answer within ${timeoutMs} ms`);
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return new WahaRequestError(operation, 'unreachable', true, `WAHA is unreachable (${cause?.code ?? cause?.message ?? String(error)})`);
}

/** WAHA's own error message, short: enough to debug, never the whole body. */
function detail(text: string): string {
  let message: string | undefined;
  try {
    const parsed = obj(JSON.parse(text));
    // Nest validation errors list their messages
    const list = Array.isArray(parsed?.message) ? parsed.message.filter((m) => typeof m === 'string').join('; ') : undefined;
    message = str(list) ?? str(parsed?.message) ?? str(obj(parsed?.exception)?.message) ?? str(parsed?.error);
  } catch {
    message = str(text);
  }
  return message ? `: ${message.slice(0, 300)}` : '';
}
