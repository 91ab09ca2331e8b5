import { randomUUID } from 'node:crypto';
import http, { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventStreamService, MAX_STREAMS_PER_CREDENTIAL } from '#outbox/event-stream.service';
import { registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

interface SseMessage {
  event: string;
  id: string;
  data: { id: string; type: string; aggregateType: string; aggregateId: string; occurredAt: string; data: Record<string, unknown> };
}

/** A real SSE client over node:http: parses messages as they arrive. */
class SseClient {
  readonly messages: SseMessage[] = [];
  status = 0;
  closed = false;
  body = '';
  private buffer = '';
  private res?: IncomingMessage;
  private req?: http.ClientRequest;
  readonly ready: Promise<void>;
  readonly ended: Promise<void>;

  constructor(port: number, headers: Record<string, string>) {
    let onEnd!: () => void;
    this.ended = new Promise((resolve) => (onEnd = resolve));
    this.ready = new Promise((resolve, reject) => {
      this.req = http.get({ port, path: '/api/v1/events/stream', headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
        this.res = res;
        this.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          this.body += chunk;
          this.buffer += chunk;
          // `: connected` is written at once: the stream is registered once it arrives.
          if (this.buffer.includes(': connected\n\n') || this.status !== 200) resolve();
          this.parse();
        });
        res.on('end', () => {
          this.closed = true;
          resolve();
          onEnd();
        });
        res.on('close', () => {
          this.closed = true;
          resolve();
          onEnd();
        });
      });
      this.req.on('error', (error) => {
        this.closed = true;
        onEnd();
        reject(error);
      });
    });
  }

  private parse(): void {
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((line) => line && !line.startsWith(':'))
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
      );
      if (fields.data) this.messages.push({ event: fields.event, id: fields.id, data: JSON.parse(fields.data) });
    }
  }

  /** Resolves once `count` messages arrived, or rejects after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 1000): Promise<SseMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > deadline) throw new Error(`${this.messages.length} of ${count} messages within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.messages;
  }

  close(): void {
    this.res?.destroy();
    this.req?.destroy();
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('GET /events/stream (Server-Sent Events)', () => {
  let t: TestApp;
  let port: number;
  let a: Tenant;
  let b: Tenant;
  const clients: SseClient[] = [];
  const connect = async (headers: Record<string, string>) => {
    const client = new SseClient(port, headers);
    clients.push(client);
    await client.ready;
    return client;
  };
  const createContact = async (tenant: Tenant, name: string, headers: Record<string, string> = tenant.auth) => {
    const res = await t.http.post('/api/v1/contacts').set(headers).send({ name });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  /** An outbox row written by hand in a transaction of `tenant` that the caller commits or rolls back. */
  const openTransaction = async (tenant: Tenant, type: string) => {
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenant.tenantId]);
    const aggregateId = randomUUID();
    await runner.query(
      `INSERT INTO outbox_events (id, event_id, tenant_id, project_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_data, occurred_at)
       VALUES ($1, $2, $3, $4, 'stream_test', $5, 1, $6, '{}', now())`,
      [randomUUID(), randomUUID(), tenant.tenantId, tenant.projectId, aggregateId, type],
    );
    return {
      aggregateId,
      commit: async () => {
        await runner.commitTransaction();
        await runner.release();
      },
      rollback: async () => {
        await runner.rollbackTransaction();
        await runner.release();
      },
    };
  };

  beforeAll(async () => {
    t = await startTestApp({ relay: false });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    a = await registerTenant(t.http, 'stream-a');
    b = await registerTenant(t.http, 'stream-b');
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
  });
  afterAll(() => t.close());

  it('sends an event committed after connecting within a second, as event/id/data', async () => {
    const stream = await connect(a.auth);
    expect(stream.status).toBe(200);
    const started = Date.now();
    const contactId = await createContact(a, 'Streamed');
    const [message] = await stream.waitFor(1, 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(message).toEqual({
      event: 'contact.created',
      id: expect.stringMatching(/^\d+$/),
      data: {
        id: expect.any(String),
        type: 'contact.created',
        aggregateType: expect.any(String),
        aggregateId: contactId,
        occurredAt: expect.any(String),
        data: expect.objectContaining({ name: 'Streamed' }),
      },
    });
    expect(Number.isNaN(Date.parse(message.data.occurredAt))).toBe(false);
    expect(stream.body).not.toContain('stream-a'); // registration events came before connecting
  });

  it("never sends another tenant's or another project's events", async () => {
    const project = await t.http
      .post('/api/v1/projects')
      .set(a.auth)
      .send({ name: `Second ${Date.now()}` });
    expect(project.status).toBe(201);
    const login = await t.http.post('/api/v1/auth/login').send({ email: a.email, password: a.password });
    const otherProject = { Authorization: `Bearer ${login.body.accessToken}`, 'X-Project-Id': project.body.id };
    const streamB = await connect(b.auth);
    const streamOtherProject = await connect(otherProject);
    const streamA = await connect(a.auth);
    expect([streamB.status, streamOtherProject.status, streamA.status]).toEqual([200, 200, 200]);
    const ofA = await createContact(a, 'Only A');
    const ofOtherProject = await createContact(a, 'Only the second project', otherProject);
    await streamA.waitFor(1);
    await streamOtherProject.waitFor(1);
    await pause(300);
    expect(streamA.messages.map((m) => m.data.aggregateId)).toEqual([ofA]);
    expect(streamOtherProject.messages.map((m) => m.data.aggregateId)).toEqual([ofOtherProject]);
    expect(streamB.messages).toEqual([]);
    expect(streamB.body).not.toContain(ofA);
    expect(streamB.body).not.toContain(ofOtherProject);
  });

  it('resumes exactly after Last-Event-ID: nothing lost, nothing repeated', async () => {
    const first = await connect(a.auth);
    const ids = [await createContact(a, 'One'), await createContact(a, 'Two')];
    const [one] = await first.waitFor(2);
    first.close();
    ids.push(await createContact(a, 'Three'), await createContact(a, 'Four'));
    const resumed = await connect({ ...a.auth, 'Last-Event-ID': one.id });
    expect(resumed.status).toBe(200);
    await resumed.waitFor(3);
    await pause(200);
    expect(resumed.messages.map((m) => m.data.aggregateId)).toEqual(ids.slice(1));
    expect(resumed.messages[0].id).toBe(first.messages[1].id);
  });

  it('never sends a rolled-back event, and keeps commit order when a later sequence commits first', async () => {
    const stream = await connect(a.auth);
    const rolledBack = await openTransaction(a, 'stream_test.rolled_back');
    await rolledBack.rollback();
    const earlier = await openTransaction(a, 'stream_test.earlier');
    const later = await openTransaction(a, 'stream_test.later');
    await later.commit();
    // The later sequence is visible, but an older transaction still runs: it is held back, not skipped.
    await pause(300);
    expect(stream.messages).toEqual([]);
    await earlier.commit();
    await stream.waitFor(2);
    expect(stream.messages.map((m) => m.event)).toEqual(['stream_test.earlier', 'stream_test.later']);
    expect(stream.body).not.toContain(rolledBack.aggregateId);
    // Resuming after the first sends the second only (ids are sequences, the later one is the higher).
    const resumed = await connect({ ...a.auth, 'Last-Event-ID': stream.messages[0].id });
    await resumed.waitFor(1);
    await pause(200);
    expect(resumed.messages.map((m) => m.event)).toEqual(['stream_test.later']);
  });

  it('answers 401 without a credential, 400 to an unknown or foreign Last-Event-ID, 429 beyond the streams allowed', async () => {
    const anonymous = await connect({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toContain('auth.missing_credential');
    const bogus = await connect({ ...b.auth, 'Last-Event-ID': 'abc' });
    expect(bogus.status).toBe(400);
    const ofA = await connect(a.auth);
    await createContact(a, 'A secret');
    const [message] = await ofA.waitFor(1);
    const foreign = await connect({ ...b.auth, 'Last-Event-ID': message.id });
    expect(foreign.status).toBe(400);
    expect(foreign.body).toContain('events.resume_unavailable');
    clients.splice(0).forEach((c) => c.close());
    await pause(100);
    const open = [];
    for (let i = 0; i < MAX_STREAMS_PER_CREDENTIAL; i++) open.push(await connect(b.auth));
    expect(open.map((c) => c.status)).toEqual(Array(MAX_STREAMS_PER_CREDENTIAL).fill(200));
    const tooMany = await connect(b.auth);
    expect(tooMany.status).toBe(429);
    expect(tooMany.body).toContain('events.too_many_streams');
  });

  it('ends every open stream when the application shuts down', async () => {
    const own = await startTestApp({ relay: false });
    await own.app.listen(0, '127.0.0.1');
    const ownPort = (own.app.getHttpServer().address() as AddressInfo).port;
    const tenant = await registerTenant(own.http, 'stream-shutdown');
    const stream = new SseClient(ownPort, tenant.auth);
    await stream.ready;
    expect(stream.status).toBe(200);
    expect(own.app.get(EventStreamService).openStreams).toBe(1);
    const started = Date.now();
    await own.close();
    await stream.ended;
    expect(stream.closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
