import http from 'node:http';
import { listening, streamUpload } from './contacts/import-helpers';
import { registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

const TIMEOUT_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * HTTP_REQUEST_TIMEOUT_MS bounds how long a request body may take to arrive (Node's requestTimeout, 300 s by
 * default), except for a streamed import, which is read as fast as its batches commit for as long as it lasts.
 */
describe('request deadlines', () => {
  let t: TestApp;
  let a: Tenant;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({ relay: false, env: { HTTP_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) } });
    a = await registerTenant(t.http, 'deadline');
    base = await listening(t);
  });
  afterAll(() => t.close());

  it('answers 408 problem+json to a JSON body that has not arrived in time, and closes the connection', async () => {
    const body = JSON.stringify({ name: 'Slow Loris' });
    const answer = await new Promise<{ status: number; type?: string; body: string; closed: boolean }>((resolve, reject) => {
      const req = http.request(
        `${base}/api/v1/contacts`,
        { method: 'POST', headers: { ...a.auth, 'Content-Type': 'application/json', 'Content-Length': String(body.length) } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString('utf8')));
          res.on('end', () =>
            resolve({ status: res.statusCode!, type: res.headers['content-type'], body: text, closed: res.headers.connection === 'close' }),
          );
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 5)); // the rest never comes
    });
    expect(answer.status).toBe(408);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 408, code: 'request_timeout' });
    expect(answer.closed).toBe(true);
    const list = await t.http.get('/api/v1/contacts?q=Slow').set(a.auth).expect(200);
    expect(list.body.data).toEqual([]);
  });

  it('lets a streamed import take longer than the deadline', async () => {
    const res = await streamUpload(
      base,
      a,
      '/api/v1/contacts/import',
      'text/csv',
      (async function* () {
        yield 'name,externalId\n';
        for (let chunk = 0; chunk < 5; chunk++) {
          await sleep(TIMEOUT_MS / 2);
          yield `Patient ${chunk},patient-${chunk}\n`;
        }
      })(),
    );
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({ status: 'completed', created: 5 });
  });
});
