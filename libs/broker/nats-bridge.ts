import { Inject, Logger, OnApplicationShutdown } from '@nestjs/common';
import { JetStreamClient, StorageType, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { NatsConnection, connect, headers, nanos } from '@nats-io/transport-node';
import { APP_CONFIG, AppConfig, BrokerConfig } from '../config/app-config';
import { Consumer, OutboxConsumer } from '../outbox/outbox-consumer';
import { OutboxMessage } from '../outbox/outbox-message';
import { brokerHeaders, toBrokerEvent } from './broker-envelope';

/** `<prefix>.<tenantId>.<eventType>`: a consumer subscribes to one tenant, one event type, or both. */
export function natsSubject(prefix: string, event: Pick<OutboxMessage, 'tenantId' | 'type'>): string {
  return `${prefix}.${event.tenantId}.${event.type}`;
}

/**
 * Publishes every outbox event to a NATS JetStream stream (ensured on connect), subject per tenant and event type,
 * `Nats-Msg-Id` = event id so the server drops a republished event within its duplicate window. A publish without
 * the stream's acknowledgement fails, so the outbox retries it: at-least-once. The connection opens on the first
 * event and then reconnects by itself; while it is down, batches fail at once.
 */
@Consumer()
export class NatsBridge implements OutboxConsumer, OnApplicationShutdown {
  readonly name = 'broker.nats';
  readonly eventTypes = ['*'];
  private readonly logger = new Logger(NatsBridge.name);
  private readonly settings: NonNullable<BrokerConfig['nats']>;
  private readonly timeoutMs: number;
  private connecting?: Promise<NatsConnection>;
  private js?: JetStreamClient;
  private up = false;
  private streamReady = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.settings = config.broker.nats!;
    this.timeoutMs = config.broker.publishTimeoutMs;
  }

  async handle(events: readonly OutboxMessage[]): Promise<void> {
    const js = await this.ready();
    try {
      const acks = await Promise.all(
        events.map((event) => {
          const h = headers();
          for (const [name, value] of Object.entries(brokerHeaders(event))) h.set(name, value);
          return js.publish(natsSubject(this.settings.subjectPrefix, event), JSON.stringify(toBrokerEvent(event)), {
            msgID: event.eventId,
            headers: h,
            timeout: this.timeoutMs,
          });
        }),
      );
      const stray = acks.find((ack) => ack.stream !== this.settings.stream);
      if (stray) throw new Error(`NATS stored the event in stream ${stray.stream}, not ${this.settings.stream}`);
    } catch (error) {
      // The stream may be gone (deleted by hand): ensure it again before the retry.
      this.streamReady = false;
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const connection = await this.connecting?.catch(() => undefined);
    await connection?.close().catch(() => undefined);
  }

  private async ready(): Promise<JetStreamClient> {
    this.connecting ??= this.connect().catch((error: Error) => {
      // Not connected yet: the next batch tries again (the outbox backs off meanwhile).
      this.connecting = undefined;
      throw new Error(`NATS is unreachable (${error.message}): the outbox retries these events`);
    });
    await this.connecting;
    if (!this.up) throw new Error('NATS connection lost, reconnecting: the outbox retries these events');
    if (!this.streamReady) {
      await this.ensureStream();
      this.streamReady = true;
    }
    return this.js!;
  }

  private async connect(): Promise<NatsConnection> {
    const connection = await connect({
      servers: [...this.settings.servers],
      name: 'crm-broker-bridge',
      timeout: this.timeoutMs,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
    this.up = true;
    this.js = jetstream(connection, { timeout: this.timeoutMs });
    this.logger.log(`connected to NATS ${connection.getServer()}, publishing to stream ${this.settings.stream}`);
    void this.watch(connection);
    return connection;
  }

  private async watch(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect') {
        this.up = false;
        this.logger.warn(`NATS connection lost (${status.server}); reconnecting`);
      } else if (status.type === 'reconnect') {
        this.up = true;
        this.logger.log(`reconnected to NATS ${status.server}`);
      }
    }
  }

  private async ensureStream(): Promise<void> {
    const connection = await this.connecting!;
    const jsm = await jetstreamManager(connection, { timeout: this.timeoutMs });
    const { stream, subjectPrefix, duplicateWindowSeconds, maxAgeHours } = this.settings;
    try {
      await jsm.streams.info(stream);
    } catch {
      await jsm.streams.add({
        name: stream,
        subjects: [`${subjectPrefix}.>`],
        storage: StorageType.File,
        duplicate_window: nanos(duplicateWindowSeconds * 1000),
        max_age: nanos(maxAgeHours * 3_600_000),
      });
      this.logger.log(`created JetStream stream ${stream} over ${subjectPrefix}.>`);
    }
  }
}
