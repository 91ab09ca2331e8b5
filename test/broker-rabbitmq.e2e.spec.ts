import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Connection } from 'rabbitmq-client';
import { BROKER_HEADERS, BrokerEvent } from '#broker/broker-envelope';
import { ExternalConsumer, ProcessedIds } from '../src/tooling/broker-consumer/processed-ids';
import { RabbitMqDelivery, consumeFromRabbitMq } from '../src/tooling/broker-consumer/rabbitmq-consumer';
import { TcpProxy, brokerUrl, closeAll, ownerClient, redeliver, targetOf } from './support/brokers';
import { Tenant, TestApp, eventually, registerTenant, startTestApp } from './support/test-app';

/** The outbox events of these aggregates, in commit order. */
async function eventsOf(owner: Client, aggregateIds: string[]): Promise<{ event_id: string; event_type: string; status: string }[]> {
  const { rows } = await owner.query(
    'SELECT event_id, event_type, status, retry_count, last_error FROM outbox_events WHERE aggregate_id = ANY($1::uuid[]) ORDER BY sequence',
    [aggregateIds],
  );
  return rows;
}

describe('broker bridge: RabbitMQ', () => {
  const run = randomUUID().slice(0, 8);
  const exchange = `crm.test.${run}`;
  const queue = `crm.test.${run}.consumer`;
  let url: string;
  let proxy: TcpProxy;
  let t: TestApp;
  let tenant: Tenant;
  let owner: Client;
  let consumer: ExternalConsumer;
  const received: { event: BrokerEvent; delivery: RabbitMqDelivery }[] = [];

  beforeAll(async () => {
    url = await brokerUrl('rabbitmq');
    // The application reaches RabbitMQ through a proxy the tests can cut; the example consumer connects directly.
    proxy = await TcpProxy.start(targetOf(url));
    owner = await ownerClient();
    consumer = await consumeFromRabbitMq({
      url,
      exchange,
      queue,
      bindingKeys: ['#'],
      onEvent: (event, delivery) => void received.push({ event, delivery }),
      seen: new ProcessedIds(),
    });
    t = await startTestApp({
      env: {
        RABBITMQ_URL: proxy.urlFor(url),
        RABBITMQ_EXCHANGE: exchange,
        BROKER_PUBLISH_TIMEOUT_MS: '2000',
        RELAY_BASE_BACKOFF_MS: '50',
        RELAY_MAX_ATTEMPTS: '30',
      },
    });
    tenant = await registerTenant(t.http, 'rabbit');
  });
  afterAll(() =>
    closeAll(
      () => t?.close(),
      () => consumer?.close(),
      () => proxy?.stop(),
      () => owner?.end(),
      async () => {
        if (!url) return;
        const admin = new Connection(url);
        try {
          await admin.queueDelete({ queue });
          await admin.exchangeDelete({ exchange });
        } finally {
          await admin.close();
        }
      },
    ),
  );

  const createContact = async (name: string): Promise<string> => {
    const res = await t.http.post('/api/v1/contacts').set(tenant.auth).send({ name });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const receivedFor = (ids: string[]) => received.filter((r) => ids.includes(r.event.aggregateId));

  it('publishes every event to the topic exchange: routing key = event type, message id = event id, persistent, with its headers', async () => {
    const first = await createContact('Ada');
    const second = await createContact('Grace');
    await t.http
      .patch(`/api/v1/contacts/${first}`)
      .set(tenant.auth)
      .send({ tags: ['vip'] })
      .expect(200);
    const expected = await eventsOf(owner, [first, second]);
    expect(expected.map((e) => e.event_type)).toEqual(['contact.created', 'contact.created', 'contact.updated']);

    await eventually(async () => receivedFor([first, second]).length === expected.length);
    const got = receivedFor([first, second]);
    expect(got.map((r) => r.event.id)).toEqual(expected.map((e) => e.event_id));
    for (const { event, delivery } of got) {
      expect(delivery.routingKey).toBe(event.type);
      expect(delivery.messageId).toBe(event.id);
      expect(delivery.durable).toBe(true);
      expect(delivery.headers).toMatchObject({
        [BROKER_HEADERS.tenantId]: tenant.tenantId,
        [BROKER_HEADERS.projectId]: tenant.projectId,
        [BROKER_HEADERS.aggregateType]: 'contact',
        [BROKER_HEADERS.aggregateId]: event.aggregateId,
        [BROKER_HEADERS.aggregateVersion]: String(event.aggregateVersion),
        [BROKER_HEADERS.sequence]: event.sequence,
        [BROKER_HEADERS.eventType]: event.type,
      });
      expect(event).toMatchObject({ tenantId: tenant.tenantId, projectId: tenant.projectId, aggregateType: 'contact' });
    }
    expect(got[0].event.data).toMatchObject({ name: 'Ada' });
    // The queue is durable and the messages persistent: RabbitMQ keeps them across its restarts.
    const admin = new Connection(url);
    try {
      const declared = await admin.queueDeclare({ queue, passive: true });
      expect(declared.queue).toBe(queue);
    } finally {
      await admin.close();
    }
  });

  it('retries while RabbitMQ is away and delivers every event once when it is back, in order per aggregate', async () => {
    await proxy.stop();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await createContact(`Offline ${i}`));
    for (const id of ids.slice(0, 3))
      await t.http
        .patch(`/api/v1/contacts/${id}`)
        .set(tenant.auth)
        .send({ tags: ['later'] })
        .expect(200);

    // The outbox holds them: attempted, failed, waiting for their retry; nothing reached the consumer.
    await eventually(async () => {
      const events = await owner.query(
        `SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = ANY($1::uuid[]) AND retry_count > 0 AND last_error LIKE '%RabbitMQ%'`,
        [ids],
      );
      return events.rows[0].n >= 6;
    }, 20_000);
    const waiting = await eventsOf(owner, ids);
    expect(waiting).toHaveLength(9);
    expect(waiting.every((e) => e.status !== 'processed' && e.status !== 'failed')).toBe(true);
    expect(receivedFor(ids)).toEqual([]);

    await proxy.resume();
    await eventually(async () => receivedFor(ids).length === 9, 30_000);
    await eventually(async () => (await eventsOf(owner, ids)).every((e) => e.status === 'processed'), 10_000);
    const got = receivedFor(ids).map((r) => r.event);
    expect(new Set(got.map((e) => e.id))).toEqual(new Set(waiting.map((e) => e.event_id)));
    for (const id of ids.slice(0, 3)) {
      expect(got.filter((e) => e.aggregateId === id).map((e) => e.type)).toEqual(['contact.created', 'contact.updated']);
    }
    const recorded = await owner.query(
      `SELECT count(*)::int AS n FROM processed_events p JOIN outbox_events o USING (event_id)
        WHERE p.consumer_name = 'broker.rabbitmq' AND o.aggregate_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(recorded.rows[0].n).toBe(9);
  }, 60_000);

  it('an event published twice is handled once by the example consumer', async () => {
    const id = await createContact('Twice');
    await eventually(async () => receivedFor([id]).length === 1);
    const duplicatesBefore = consumer.duplicates;
    const [event] = await eventsOf(owner, [id]);

    await redeliver(owner, 'broker.rabbitmq', [event.event_id]);
    await t.relay.wake();
    await eventually(async () => consumer.duplicates === duplicatesBefore + 1, 10_000);
    expect(receivedFor([id])).toHaveLength(1);
    const timeline = await owner.query('SELECT count(*)::int AS n FROM contact_events WHERE event_id = $1', [event.event_id]);
    expect(timeline.rows[0].n).toBe(1);
  });
});
