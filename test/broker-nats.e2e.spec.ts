import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { StorageType, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { NatsConnection, connect, nanos } from '@nats-io/transport-node';
import { BROKER_HEADERS, BrokerEvent } from '#broker/broker-envelope';
import { NatsDelivery, consumeFromNats } from '../src/tooling/broker-consumer/nats-consumer';
import { ExternalConsumer } from '../src/tooling/broker-consumer/processed-ids';
import { TcpProxy, brokerUrl, closeAll, ownerClient, redeliver, targetOf } from './support/brokers';
import { Tenant, TestApp, eventually, registerTenant, startTestApp } from './support/test-app';

async function eventsOf(owner: Client, aggregateIds: string[]): Promise<{ event_id: string; event_type: string; status: string }[]> {
  const { rows } = await owner.query(
    'SELECT event_id, event_type, status FROM outbox_events WHERE aggregate_id = ANY($1::uuid[]) ORDER BY sequence',
    [aggregateIds],
  );
  return rows;
}

describe('broker bridge: NATS JetStream', () => {
  const run = randomUUID().slice(0, 8);
  // Streams may not overlap: each run has its own stream and subject space.
  const stream = `CRM_TEST_${run}`;
  const prefix = `crmtest${run}`;
  let url: string;
  let proxy: TcpProxy;
  let nc: NatsConnection;
  let t: TestApp;
  let tenant: Tenant;
  let owner: Client;
  let consumer: ExternalConsumer | undefined;
  const received: { event: BrokerEvent; delivery: NatsDelivery }[] = [];

  beforeAll(async () => {
    url = await brokerUrl('nats');
    proxy = await TcpProxy.start(targetOf(url));
    owner = await ownerClient();
    nc = await connect({ servers: url });
    t = await startTestApp({
      env: {
        NATS_URL: proxy.urlFor(url),
        NATS_STREAM: stream,
        NATS_SUBJECT_PREFIX: prefix,
        BROKER_PUBLISH_TIMEOUT_MS: '2000',
        RELAY_BASE_BACKOFF_MS: '50',
        RELAY_MAX_ATTEMPTS: '30',
      },
    });
    tenant = await registerTenant(t.http, 'nats');
  });
  afterAll(() =>
    closeAll(
      () => t?.close(),
      () => consumer?.close(),
      () => proxy?.stop(),
      () => owner?.end(),
      async () => {
        if (!nc) return;
        await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
        await nc.close();
      },
    ),
  );

  const createContact = async (name: string): Promise<string> => {
    const res = await t.http.post('/api/v1/contacts').set(tenant.auth).send({ name });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const processedByBridge = async (ids: string[]) => (await eventsOf(owner, ids)).every((e) => e.status === 'processed');
  const receivedFor = (ids: string[]) => received.filter((r) => ids.includes(r.event.aggregateId));
  const storedMessages = async () => (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;

  it('publishes every event to its stream, subject per tenant and type, Nats-Msg-Id = event id', async () => {
    const first = await createContact('Ada');
    await t.http
      .patch(`/api/v1/contacts/${first}`)
      .set(tenant.auth)
      .send({ tags: ['vip'] })
      .expect(200);
    const expected = await eventsOf(owner, [first]);
    await eventually(() => processedByBridge([first]));

    // The bridge made the stream: file storage (persistent), over the prefix, with a duplicate window.
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    expect(info.config).toMatchObject({ subjects: [`${prefix}.>`], storage: StorageType.File, duplicate_window: nanos(120_000) });

    consumer = await consumeFromNats({
      servers: [url],
      stream,
      durable: `example-${run}`,
      filterSubject: `${prefix}.${tenant.tenantId}.>`,
      onEvent: (event, delivery) => void received.push({ event, delivery }),
    });
    await eventually(async () => receivedFor([first]).length === 2);
    const got = receivedFor([first]);
    expect(got.map((r) => r.event.id)).toEqual(expected.map((e) => e.event_id));
    for (const { event, delivery } of got) {
      expect(delivery.subject).toBe(`${prefix}.${tenant.tenantId}.${event.type}`);
      expect(delivery.msgId).toBe(event.id);
      expect(delivery.headers).toMatchObject({
        'Nats-Msg-Id': event.id,
        [BROKER_HEADERS.tenantId]: tenant.tenantId,
        [BROKER_HEADERS.aggregateId]: first,
        [BROKER_HEADERS.aggregateVersion]: String(event.aggregateVersion),
        [BROKER_HEADERS.sequence]: event.sequence,
      });
    }
    expect(got.map((r) => r.event.type)).toEqual(['contact.created', 'contact.updated']);
  });

  it('the server drops a republished event (same Nats-Msg-Id); the example consumer skips a copy without one', async () => {
    const id = await createContact('Twice');
    await eventually(async () => receivedFor([id]).length === 1);
    const stored = await storedMessages();
    const [event] = await eventsOf(owner, [id]);

    // The outbox publishes it again (as after a crash between publish and commit): JetStream keeps one copy.
    await redeliver(owner, 'broker.nats', [event.event_id]);
    await t.relay.wake();
    await eventually(() => processedByBridge([id]));
    expect(await storedMessages()).toBe(stored);

    // Past the server's window (here: a copy published without a message id), the consumer's own record decides.
    const before = consumer!.duplicates;
    await jetstream(nc).publish(`${prefix}.${tenant.tenantId}.contact.created`, JSON.stringify(receivedFor([id])[0].event));
    await eventually(async () => consumer!.duplicates === before + 1);
    expect(receivedFor([id])).toHaveLength(1);
  });

  it('retries while NATS is away and delivers every event once when it is back', async () => {
    await proxy.stop();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await createContact(`Offline ${i}`));
    await eventually(async () => {
      const { rows } = await owner.query(
        `SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = ANY($1::uuid[]) AND retry_count > 0 AND last_error LIKE '%NATS%'`,
        [ids],
      );
      return rows[0].n === 5;
    }, 20_000);
    expect(receivedFor(ids)).toEqual([]);

    await proxy.resume();
    await eventually(async () => receivedFor(ids).length === 5, 30_000);
    await eventually(() => processedByBridge(ids));
    const expected = await eventsOf(owner, ids);
    expect(new Set(receivedFor(ids).map((r) => r.event.id))).toEqual(new Set(expected.map((e) => e.event_id)));
  }, 60_000);
});
