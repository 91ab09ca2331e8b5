import { Connection, ConsumerStatus } from 'rabbitmq-client';
import { BrokerEvent } from '#broker/broker-envelope';
import { EventHandler, ExternalConsumer, ProcessedIds } from './processed-ids';

export interface RabbitMqDelivery {
  routingKey: string;
  messageId?: string;
  /** Persistent (delivery mode 2): the broker keeps it on disk in a durable queue. */
  durable: boolean;
  redelivered: boolean;
  headers: Record<string, unknown>;
}

export interface RabbitMqConsumerOptions {
  url: string;
  exchange: string;
  /** A durable queue of this consumer's own: events published while it is away wait there. */
  queue: string;
  /** Topic patterns over event types: `#` for all, `contact.*`, `conversation.message.*`. */
  bindingKeys: string[];
  onEvent: EventHandler<BrokerEvent, RabbitMqDelivery>;
  seen?: ProcessedIds;
}

/**
 * An external consumer of the CRM's events on RabbitMQ: binds its durable queue to the exchange, handles each
 * event once by id (the bridge publishes at least once), in order, and acknowledges after handling.
 */
export async function consumeFromRabbitMq(options: RabbitMqConsumerOptions): Promise<ExternalConsumer> {
  const seen = options.seen ?? new ProcessedIds();
  const { exchange, queue } = options;
  const connection = new Connection({ url: options.url, connectionName: `crm-consumer-${queue}` });
  let duplicates = 0;
  const consumer = connection.createConsumer(
    {
      queue,
      queueOptions: { durable: true },
      exchanges: [{ exchange, type: 'topic', durable: true }],
      queueBindings: options.bindingKeys.map((routingKey) => ({ exchange, queue, routingKey })),
      // One at a time keeps the queue's order (per aggregate, the order of the outbox).
      concurrency: 1,
      qos: { prefetchCount: 100 },
    },
    async (message) => {
      const event = parseBody(message.body);
      // Not an event of ours: dropped (to the queue's dead-letter exchange, if it has one), never requeued forever.
      if (!event) return ConsumerStatus.DROP;
      const id = message.messageId ?? event.id;
      if (seen.has(id)) {
        duplicates += 1;
        return;
      }
      await options.onEvent(event, {
        routingKey: message.routingKey,
        messageId: message.messageId,
        durable: message.durable === true,
        redelivered: message.redelivered,
        headers: message.headers ?? {},
      });
      seen.add(id);
    },
  );
  let lastError: Error | undefined;
  // A failing handler is requeued and retried; the error is kept for whoever watches the consumer.
  consumer.on('error', (error: Error) => (lastError = error));
  await new Promise<void>((resolve, reject) => {
    consumer.once('ready', resolve);
    connection.onConnect(10_000).catch(reject);
  });
  return {
    get duplicates() {
      return duplicates;
    },
    get lastError() {
      return lastError;
    },
    close: async () => {
      try {
        await consumer.close();
      } finally {
        await connection.close();
      }
    },
  };
}

/** The client decodes `application/json` bodies itself; anything else arrives as bytes. */
function parseBody(body: unknown): BrokerEvent | undefined {
  try {
    const event = (Buffer.isBuffer(body) || typeof body === 'string' ? JSON.parse(body.toString()) : body) as BrokerEvent;
    return typeof event?.id === 'string' && typeof event.type === 'string' ? event : undefined;
  } catch {
    return undefined;
  }
}
