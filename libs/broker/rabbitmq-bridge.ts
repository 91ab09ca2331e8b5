import { Inject, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Connection, Publisher } from 'rabbitmq-client';
import { APP_CONFIG, AppConfig, BrokerConfig } from '../config/app-config';
import { Consumer, OutboxConsumer } from '../outbox/outbox-consumer';
import { OutboxMessage } from '../outbox/outbox-message';
import { brokerHeaders, toBrokerEvent, withTimeout } from './broker-envelope';

/**
 * Publishes every outbox event to a durable RabbitMQ topic exchange, routing key = event type, message id = event
 * id, persistent, on a confirm channel. A batch the broker does not confirm fails, so the outbox retries it (with
 * backoff, then the dead letter): at-least-once, and an external consumer de-duplicates by message id. The
 * connection opens on the first event (an API-only process never opens it) and reconnects by itself; while it is
 * down, batches fail at once instead of waiting for it.
 */
@Consumer()
export class RabbitMqBridge implements OutboxConsumer, OnApplicationShutdown {
  readonly name = 'broker.rabbitmq';
  readonly eventTypes = ['*'];
  private readonly logger = new Logger(RabbitMqBridge.name);
  private readonly settings: NonNullable<BrokerConfig['rabbitmq']>;
  private readonly timeoutMs: number;
  private connection?: Connection;
  private publisher?: Publisher;
  /** Undefined until the first connection attempt ends: a broker down from the start is reported once too. */
  private up?: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.settings = config.broker.rabbitmq!;
    this.timeoutMs = config.broker.publishTimeoutMs;
  }

  async handle(events: readonly OutboxMessage[]): Promise<void> {
    const publisher = await this.ready();
    const { exchange } = this.settings;
    await withTimeout(
      Promise.all(
        events.map((event) =>
          publisher.send(
            {
              exchange,
              routingKey: event.type,
              durable: true,
              messageId: event.eventId,
              type: event.type,
              contentType: 'application/json',
              timestamp: Math.floor(new Date(event.occurredAt).getTime() / 1000),
              appId: 'crm-backend',
              correlationId: event.metadata.correlationId,
              headers: brokerHeaders(event),
            },
            Buffer.from(JSON.stringify(toBrokerEvent(event))),
          ),
        ),
      ),
      this.timeoutMs,
      `RabbitMQ publish of ${events.length} event(s) to ${exchange}`,
    );
  }

  /** After the relay stopped (it stops in onModuleDestroy): nothing is being published any more. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.connection) return;
    const connection = this.connection;
    const closing = (async () => {
      await this.publisher?.close();
      await connection.close();
    })();
    // A broker that does not answer the close must not hold the shutdown.
    await withTimeout(closing, this.timeoutMs, 'RabbitMQ close').catch(() => connection.unsafeDestroy());
  }

  private async ready(): Promise<Publisher> {
    if (!this.connection) {
      const connection = new Connection({
        url: this.settings.url,
        connectionName: 'crm-broker-bridge',
        connectionTimeout: this.timeoutMs,
        acquireTimeout: this.timeoutMs,
        retryLow: 200,
        retryHigh: 5000,
      });
      connection.on('connection', () => {
        this.up = true;
        this.logger.log(`connected to RabbitMQ, publishing to exchange ${this.settings.exchange}`);
      });
      connection.on('error', (error: Error) => {
        // One line per outage, not one per reconnect attempt.
        if (this.up !== false) this.logger.warn(`RabbitMQ connection: ${error.message}; reconnecting`);
        this.up = false;
      });
      this.connection = connection;
      // The exchange is declared again on every new channel, after a reconnect too.
      this.publisher = connection.createPublisher({
        confirm: true,
        exchanges: [{ exchange: this.settings.exchange, type: 'topic', durable: true }],
      });
      await connection.onConnect(this.timeoutMs, true).catch(() => undefined);
    }
    if (!this.connection.ready) throw new Error('RabbitMQ is unreachable (or blocked): the outbox retries these events');
    return this.publisher!;
  }
}
