import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { WahaClient, WahaRequestError } from '../src/contexts/channels/infrastructure/waha/waha.client';

/** A fake WAHA on 127.0.0.1: records each request and answers with the test's handler. */
interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}
type Handler = (req: Recorded, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let requests: Recorded[];
let handler: Handler;

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: raw === '' ? undefined : JSON.parse(raw),
      };
      requests.push(recorded);
      handler(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests = [];
  handler = (_req, res) => json(res, 201, { id: 'true_5511987654321@c.us_3EB0AAAA' });
});

const client = (options: { apiKey?: string; timeoutMs?: number } = {}) => new WahaClient({ baseUrl: `${baseUrl}/`, ...options });
const file = { url: 'https://files.example.com/a.jpg', mimetype: 'image/jpeg', filename: 'a.jpg' };
const chatId = '5511987654321@c.us';

async function failure(call: Promise<unknown>): Promise<WahaRequestError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WahaRequestError);
  return error as WahaRequestError;
}

describe('WahaClient sending', () => {
  it('sends a text with X-Api-Key and reply_to, and returns the message id', async () => {
    const sent = await client({ apiKey: 'k-123' }).sendText({
      session: 'crm-1',
      chatId,
      text: 'Olá',
      replyTo: 'false_5511987654321@c.us_QUOTED',
    });
    expect(sent).toEqual({ externalId: 'true_5511987654321@c.us_3EB0AAAA', waMessageId: '3EB0AAAA' });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/api/sendText',
      headers: { 'x-api-key': 'k-123', 'content-type': 'application/json' },
      body: { session: 'crm-1', chatId, text: 'Olá', reply_to: 'false_5511987654321@c.us_QUOTED' },
    });
  });

  it('sends no X-Api-Key when none is configured', async () => {
    await client().sendText({ session: 's', chatId, text: 'x' });
    expect(requests[0].headers['x-api-key']).toBeUndefined();
    expect(requests[0].body).toEqual({ session: 's', chatId, text: 'x' });
  });

  it.each([
    ['sendImage', { session: 's', chatId, file, caption: 'Veja' }],
    ['sendFile', { session: 's', chatId, file, caption: 'Contrato' }],
    ['sendVideo', { session: 's', chatId, file, caption: 'Vídeo', convert: false }],
    ['sendVoice', { session: 's', chatId, file, convert: false }],
  ] as const)('%s posts the file by URL', async (method, expectedBody) => {
    const caption = 'caption' in expectedBody ? expectedBody.caption : undefined;
    const sent = await client()[method]({ session: 's', chatId, file, caption });
    expect(sent.waMessageId).toBe('3EB0AAAA');
    expect(requests[0]).toMatchObject({ method: 'POST', url: `/api/${method}` });
    expect(requests[0].body).toEqual(expectedBody);
  });

  it.each([
    ['a string id (GOWS, WPP)', { id: 'true_5511987654321@c.us_GOWS1' }, 'true_5511987654321@c.us_GOWS1', 'GOWS1'],
    [
      'a whatsapp-web.js id object (WEBJS)',
      { id: { fromMe: true, remote: chatId, id: 'WEBJS1', _serialized: 'true_5511987654321@c.us_WEBJS1' } },
      'true_5511987654321@c.us_WEBJS1',
      'WEBJS1',
    ],
    [
      'a Baileys key (NOWEB)',
      { key: { remoteJid: '5511987654321@s.whatsapp.net', fromMe: true, id: 'NOWEB1' }, status: 'PENDING' },
      'true_5511987654321@c.us_NOWEB1',
      'NOWEB1',
    ],
  ])('reads the sent id from %s', async (_name, answer, externalId, waMessageId) => {
    handler = (_req, res) => json(res, 201, answer);
    await expect(client().sendText({ session: 's', chatId, text: 'x' })).resolves.toEqual({ externalId, waMessageId });
  });

  it('refuses a 2xx answer without a message id, as not retryable (the message may have been sent)', async () => {
    handler = (_req, res) => json(res, 201, { ok: true });
    const error = await failure(client().sendText({ session: 's', chatId, text: 'x' }));
    expect(error).toMatchObject({ failure: 'invalid_response', retryable: false });
  });
});

describe('WahaClient failures', () => {
  it('marks a 500 retryable, with its status and WAHA message', async () => {
    handler = (_req, res) => json(res, 500, { statusCode: 500, message: 'Session is not ready' });
    const error = await failure(client().sendText({ session: 's', chatId, text: 'x' }));
    expect(error).toMatchObject({ failure: 'http', status: 500, retryable: true });
    expect(error.message).toBe('WAHA sendText: HTTP 500: Session is not ready');
  });

  it.each([502, 503, 429, 408])('marks a %s retryable too (a gateway, overload or rate limit passes)', async (status) => {
    handler = (_req, res) => json(res, status, {});
    expect(await failure(client().sendFile({ session: 's', chatId, file }))).toMatchObject({ status, retryable: true });
  });

  it('marks a 400 not retryable', async () => {
    handler = (_req, res) => json(res, 400, { statusCode: 400, message: ['chatId must be a string'], error: 'Bad Request' });
    const error = await failure(client().sendImage({ session: 's', chatId, file }));
    expect(error).toMatchObject({ failure: 'http', status: 400, retryable: false });
    expect(error.message).toContain('chatId must be a string');
  });

  it('gives up after the timeout, as retryable', async () => {
    handler = () => undefined; // never answers
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 200 }).sendText({ session: 's', chatId, text: 'x' }));
    expect(error).toMatchObject({ failure: 'timeout', retryable: true, status: undefined });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports WAHA down (connection refused) as retryable', async () => {
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const port = (down.address() as AddressInfo).port;
    await new Promise((resolve) => down.close(resolve));
    const error = await failure(new WahaClient({ baseUrl: `http://127.0.0.1:${port}` }).sendText({ session: 's', chatId, text: 'x' }));
    expect(error).toMatchObject({ failure: 'unreachable', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe('WahaClient.configureSessionWebhook', () => {
  const registration = {
    url: 'https://crm.example.com/api/v1/webhooks/waha/ch-1',
    hmacKey: 'hmac-secret',
    events: ['message.any', 'message.ack'],
  };
  const ours = { url: registration.url, events: registration.events, hmac: { key: 'hmac-secret' } };

  function sessionWith(config: unknown): Handler {
    return (req, res) =>
      req.method === 'GET'
        ? json(res, 200, { name: 'crm 1', status: 'WORKING', config })
        : json(res, 200, { name: 'crm 1', status: 'STARTING' });
  }

  it("adds our webhook and keeps the session's other settings and webhooks", async () => {
    const other = { url: 'https://other.example.com/hook', events: ['session.status'] };
    const stale = { url: registration.url, events: ['message'], hmac: { key: 'old' } };
    handler = sessionWith({ metadata: { tenant: 't1' }, proxy: null, webhooks: [other, stale] });
    await expect(client({ apiKey: 'k' }).configureSessionWebhook('crm 1', registration)).resolves.toEqual({ changed: true });
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/sessions/crm%201', 'PUT /api/sessions/crm%201']);
    expect(requests[1].headers['x-api-key']).toBe('k');
    expect(requests[1].body).toEqual({ name: 'crm 1', config: { metadata: { tenant: 't1' }, proxy: null, webhooks: [other, ours] } });
  });

  it('works on a session without config, with retries and custom headers', async () => {
    handler = sessionWith(null);
    const retries = { policy: 'exponential' as const, delaySeconds: 2, attempts: 10 };
    await client().configureSessionWebhook('s', { ...registration, retries, customHeaders: [{ name: 'X-Channel', value: 'ch-1' }] });
    expect(requests[1].body).toEqual({
      name: 's',
      config: { webhooks: [{ ...ours, retries, customHeaders: [{ name: 'X-Channel', value: 'ch-1' }] }] },
    });
  });

  it('sends nothing when the webhook is already registered, since an update restarts the session', async () => {
    handler = sessionWith({ webhooks: [{ ...ours, retries: null, customHeaders: null }] });
    await expect(client().configureSessionWebhook('s', registration)).resolves.toEqual({ changed: false });
    expect(requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('fails without retry when the session does not exist', async () => {
    handler = (_req, res) => json(res, 404, { statusCode: 404, message: 'Session "s" does not exist' });
    const error = await failure(client().configureSessionWebhook('s', registration));
    expect(error).toMatchObject({ operation: 'get session', status: 404, retryable: false });
  });
});
