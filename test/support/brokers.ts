import { Server, Socket, connect, createServer } from 'node:net';
import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';

const BROKERS = {
  rabbitmq: { env: 'TEST_RABBITMQ_URL', port: 5672, local: 'amqp://guest:guest@127.0.0.1:5672', start: 'rabbitmq-server -detached' },
  nats: { env: 'TEST_NATS_URL', port: 4222, local: 'nats://127.0.0.1:4222', start: 'nats-server -js' },
} as const;

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 1000 });
    // Closed whatever the answer: a socket left open to the broker keeps Jest from exiting.
    const settle = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
    socket.once('timeout', () => settle(false));
  });
}

/**
 * The broker these tests run against. CI (CI=true) must name it (.ci/run sets TEST_RABBITMQ_URL / TEST_NATS_URL
 * when the broker answers), so a run without it fails instead of passing without these tests. Elsewhere the local
 * server on its standard port is used; with none there the suite fails and says how to start one.
 */
export async function brokerUrl(kind: keyof typeof BROKERS): Promise<string> {
  const { env, port, local, start } = BROKERS[kind];
  const url = process.env[env];
  if (url) return url;
  if (process.env.CI === 'true')
    throw new Error(`${env} is not set: under CI the ${kind} tests must run (.ci/run sets it when ${kind} answers)`);
  if (await answers(port)) return local;
  throw new Error(`no ${kind} answers on 127.0.0.1:${port}: start it (${start}) or set ${env}`);
}

/** A TCP forwarder in front of a broker: `stop()` is the broker going away (connections cut, port closed), `resume()` its return. */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly target: { host: string; port: number },
    public port = 0,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.resume();
    return proxy;
  }

  /** `url` with its host and port replaced by this proxy's. */
  urlFor(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString().replace(/\/$/, '');
  }

  async resume(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export function targetOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

/** The owner connection: reads across tenants and resets outbox rows as an operator would. */
export async function ownerClient(): Promise<Client> {
  const client = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
  await client.connect();
  return client;
}

/** Has the outbox deliver these events again to `consumer` (a republish), as if it had never handled them. */
export async function redeliver(owner: Client, consumer: string, eventIds: string[]): Promise<void> {
  await owner.query('DELETE FROM processed_events WHERE consumer_name = $1 AND event_id = ANY($2::uuid[])', [consumer, eventIds]);
  await owner.query(
    `UPDATE outbox_events SET status = 'pending', next_attempt_at = now(), processed_at = NULL WHERE event_id = ANY($1::uuid[])`,
    [eventIds],
  );
}

/** Runs every clean-up step even when an earlier one fails (a connection left open keeps Jest alive), then reports the failures. */
export async function closeAll(...steps: (() => Promise<unknown> | undefined)[]): Promise<void> {
  const errors: unknown[] = [];
  for (const step of steps) await Promise.resolve(step()).catch((error: unknown) => errors.push(error));
  if (errors.length > 0) throw new AggregateError(errors, `clean-up failed: ${errors.map(String).join('; ')}`);
}
