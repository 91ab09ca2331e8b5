import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { Connection } from 'rabbitmq-client';
import { BrokerEvent } from '#broker/broker-envelope';
import { freePort } from '../src/tooling/local-postgres';
import { ExternalConsumer } from '../src/tooling/broker-consumer/processed-ids';
import { consumeFromRabbitMq } from '../src/tooling/broker-consumer/rabbitmq-consumer';
import { brokerUrl, closeAll, ownerClient } from './support/brokers';
import { eventually } from './support/test-app';

const ROOT = join(__dirname, '..');

/** Every process started; killed after each test even when it failed half-way. */
const children: ChildProcess[] = [];

interface Instance {
  child: ChildProcess;
  baseUrl?: string;
  output: string[];
}

/** The built server (`node dist/src/main.js`) in one role, on the suite's database; resolves once it is ready. */
async function startInstance(role: 'api' | 'relay', env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    // Relays log at info for their start-up line; the APIs at warn (no line per request).
    env: { ...process.env, ...env, ROLE: role, PORT: String(port), LOG_LEVEL: role === 'api' ? 'warn' : 'info' } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const baseUrl = role === 'api' ? `http://127.0.0.1:${port}` : undefined;
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    if (baseUrl) return (await fetch(`${baseUrl}/health/ready`).catch(() => undefined))?.ok;
    // A relay serves no HTTP: its start-up line says it runs.
    return output.some((line) => line.includes('ready: role=relay'));
  }, 30_000).catch((error: Error) => {
    throw new Error(`${role}: ${error.message}; it said:\n${output.slice(-20).join('\n')}`);
  });
  return { child, baseUrl, output };
}

let owner: Client;

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('several instances: two APIs and three relays on one database', () => {
  const run = randomUUID().slice(0, 8);
  const exchange = `crm.test.multi.${run}`;
  const queue = `crm.test.multi.${run}.order`;
  let url: string;
  let consumer: ExternalConsumer | undefined;

  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
  }, 120_000);
  beforeAll(async () => {
    owner = await ownerClient();
    url = await brokerUrl('rabbitmq');
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await consumer?.close();
    consumer = undefined;
  });
  afterAll(() =>
    closeAll(
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

  it('delivers every event exactly once to each consumer, in order per aggregate, when a relay is killed with -9 under load', async () => {
    // The example consumer records the order in which each aggregate's events reach it through RabbitMQ.
    const arrived = new Map<string, BrokerEvent[]>();
    consumer = await consumeFromRabbitMq({
      url,
      exchange,
      queue,
      bindingKeys: ['contact.#'],
      onEvent: (event) => void arrived.set(event.aggregateId, [...(arrived.get(event.aggregateId) ?? []), event]),
    });
    const env = {
      RATE_LIMIT_PER_MINUTE: '1000000',
      REGISTER_PER_HOUR: '1000000',
      RABBITMQ_URL: url,
      RABBITMQ_EXCHANGE: exchange,
      // Small batches, many claims, a short lease: the killed relay's claim comes back within the test.
      RELAY_BATCH_SIZE: '10',
      RELAY_LEASE_SECONDS: '3',
      RELAY_POLL_INTERVAL_MS: '200',
    };
    const apis = await Promise.all([startInstance('api', env), startInstance('api', env)]);
    const relays = await Promise.all([1, 2, 3].map(() => startInstance('relay', env)));

    const signup = await post(
      `${apis[0].baseUrl}/api/v1/auth/register`,
      { email: `multi-${run}@example.com`, password: 'correct horse battery', name: 'Multi', tenantName: 'Multi Ltd' },
      {},
    );
    expect(signup.status).toBe(201);
    const tenantId = (signup.body.tenant as { id: string }).id;
    const auth = { authorization: `Bearer ${(signup.body.apiKey as { key: string }).key}` };

    // Eight writers over both APIs: each contact created on one API and updated twice on the other.
    let stop = false;
    let written = 0;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const [a, b] = i % 2 === 0 ? apis : [apis[1], apis[0]];
        const created = await post(`${a.baseUrl}/api/v1/contacts`, { name: `W${w}-${i}` }, auth);
        if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
        for (const tag of ['one', 'two']) {
          const res = await fetch(`${b.baseUrl}/api/v1/contacts/${created.body.id}`, {
            method: 'PATCH',
            headers: { 'content-type': 'application/json', ...auth },
            body: JSON.stringify({ tags: [tag] }),
          });
          if (res.status !== 200) throw new Error(`update: ${res.status} ${await res.text()}`);
        }
        written += 1;
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    await eventually(async () => written >= 60, 30_000);
    relays[0].child.kill('SIGKILL');
    await eventually(async () => written >= 150, 30_000);
    stop = true;
    await Promise.all(writers);

    await eventually(async () => {
      const { rows } = await owner.query(`SELECT count(*)::int AS n FROM outbox_events WHERE tenant_id = $1 AND status <> 'processed'`, [
        tenantId,
      ]);
      return rows[0].n === 0;
    }, 30_000);

    const { rows: events } = await owner.query<{ event_id: string; aggregate_id: string; event_type: string; retry_count: number }>(
      `SELECT event_id, aggregate_id, event_type, retry_count FROM outbox_events
        WHERE tenant_id = $1 AND event_type LIKE 'contact.%' ORDER BY sequence`,
      [tenantId],
    );
    expect(events.length).toBeGreaterThanOrEqual(150 * 3);
    // Exactly once per consumer: one processed_events row each, one timeline row per event.
    const { rows: counts } = await owner.query(
      `SELECT o.event_id,
              (SELECT count(*)::int FROM processed_events p WHERE p.event_id = o.event_id AND p.consumer_name = 'contacts.timeline') AS timeline,
              (SELECT count(*)::int FROM processed_events p WHERE p.event_id = o.event_id AND p.consumer_name = 'broker.rabbitmq') AS broker,
              (SELECT count(*)::int FROM contact_events c WHERE c.event_id = o.event_id) AS timeline_rows
         FROM outbox_events o WHERE o.tenant_id = $1 AND o.event_type LIKE 'contact.%'`,
      [tenantId],
    );
    expect(counts.filter((c) => c.timeline !== 1 || c.broker !== 1 || c.timeline_rows !== 1)).toEqual([]);

    // Per aggregate, the external consumer saw each event once, in the outbox's order.
    await eventually(async () => [...arrived.values()].reduce((n, list) => n + list.length, 0) === events.length, 15_000);
    const expected = new Map<string, string[]>();
    for (const e of events) expected.set(e.aggregate_id, [...(expected.get(e.aggregate_id) ?? []), e.event_id]);
    for (const [aggregateId, ids] of expected) expect(arrived.get(aggregateId)?.map((e) => e.id)).toEqual(ids);
    // And the timeline consumer handled them in that order too (a later event's transaction began after the earlier's).
    const { rows: disorder } = await owner.query(
      `SELECT count(*)::int AS n FROM (
         SELECT p.processed_at < lag(p.processed_at) OVER (PARTITION BY o.aggregate_id ORDER BY o.sequence) AS backwards
           FROM outbox_events o JOIN processed_events p ON p.event_id = o.event_id AND p.consumer_name = 'contacts.timeline'
          WHERE o.tenant_id = $1) x WHERE backwards`,
      [tenantId],
    );
    expect(disorder[0].n).toBe(0);
    // The relays shared the work: the survivors' logs are clean.
    for (const relay of relays.slice(1)) expect(relay.output.filter((line) => /"level":"(error|fatal)"/.test(line))).toEqual([]);
  }, 90_000);
});
