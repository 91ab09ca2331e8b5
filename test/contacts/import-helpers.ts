import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { TestApp, Tenant } from '../support/test-app';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The app's server listening on a port of its own (supertest cannot stream a request body). */
export async function listening(t: TestApp): Promise<string> {
  const server = t.app.getHttpServer() as http.Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** POSTs `body` chunk by chunk (chunked transfer encoding) as it is generated; resolves with the whole response. */
export function streamUpload(
  base: string,
  tenant: Tenant,
  path: string,
  contentType: string,
  body: AsyncIterable<string> | Iterable<string>,
): Promise<RawResponse> {
  const source = Readable.from(body);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(`${base}${path}`, { method: 'POST', headers: { ...tenant.auth, 'Content-Type': contentType } }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        // Answered before the upload's end (a cancel, a limit): the rest is not sent.
        source.unpipe(req);
        req.destroy();
        resolve({ status: res.statusCode!, headers: res.headers, body: text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    // Once answered, the server may cut the rest of an upload it stopped reading: that is no failure of the request.
    req.on('error', (error) => {
      if (!answered) reject(new Error(`the upload failed before any answer: ${error.message}`, { cause: error }));
    });
    source.on('error', reject);
    source.pipe(req);
  });
}

/** GETs `path` and reports when each chunk arrived. */
export function streamDownload(
  base: string,
  tenant: Tenant,
  path: string,
  onFirstChunk: () => Promise<void>,
): Promise<RawResponse & { chunks: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers: tenant.auth }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          if (chunks.length === 1) {
            res.pause();
            onFirstChunk().then(() => res.resume(), reject);
          }
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, headers: res.headers, body: text, json: () => JSON.parse(text), chunks: chunks.length });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Rows of CSV generated on the fly, in chunks of `perChunk` rows. */
export async function* csvRows(count: number, row: (i: number) => string, perChunk = 500): AsyncGenerator<string> {
  for (let i = 0; i < count; i += perChunk) {
    let chunk = '';
    for (let j = i; j < Math.min(count, i + perChunk); j++) chunk += `${row(j)}\n`;
    yield chunk;
  }
}

/** A POST that declares `length` bytes of CSV and sends none: the answer must come from the header alone. */
export function declaredUpload(base: string, tenant: Tenant, length: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/api/v1/contacts/import`,
      { method: 'POST', headers: { ...tenant.auth, 'Content-Type': 'text/csv', 'Content-Length': String(length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          req.destroy();
          resolve({ status: res.statusCode!, headers: res.headers, body: text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.flushHeaders();
  });
}
