import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { BrokerEvent } from '#broker/broker-envelope';
import { EventHandler, ExternalConsumer, ProcessedIds } from './processed-ids';

export interface NatsDelivery {
  subject: string;
  msgId?: string;
  redelivered: boolean;
  headers: Record<string, string>;
}

export interface NatsConsumerOptions {
  servers: string[];
  stream: string;
  /** A durable consumer of this name remembers how far it got across restarts. */
  durable: string;
  /** `crm.>` for everything, `crm.<tenantId>.>` for one tenant, `crm.*.contact.>` for one kind of event. */
  filterSubject: string;
  onEvent: EventHandler<BrokerEvent, NatsDelivery>;
  seen?: ProcessedIds;
}

/**
 * An external consumer of the CRM's events on NATS JetStream: a durable pull consumer with explicit acks that
 * handles each event once by its `Nats-Msg-Id` (JetStream already drops republished ids within its duplicate
 * window; this covers redeliveries and republishing after it), and acknowledges after handling.
 */
export async function consumeFromNats(options: NatsConsumerOptions): Promise<ExternalConsumer> {
  const seen = options.seen ?? new ProcessedIds();
  const connection = await connect({ servers: options.servers, name: `crm-consumer-${options.durable}`, maxReconnectAttempts: -1 });
  let duplicates = 0;
  let lastError: Error | undefined;
  try {
    const jsm = await jetstreamManager(connection);
    await jsm.consumers.add(options.stream, {
      durable_name: options.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: options.filterSubject,
    });
    const consumer = await jetstream(connection).consumers.get(options.stream, options.durable);
    const messages = await consumer.consume({ max_messages: 100 });
    const loop = (async () => {
      for await (const message of messages) {
        let event: BrokerEvent;
        try {
          event = message.json<BrokerEvent>();
        } catch {
          // Not an event of ours: never redelivered.
          message.term();
          continue;
        }
        const id = message.headers?.get('Nats-Msg-Id') || event.id;
        try {
          if (seen.has(id)) duplicates += 1;
          else {
            const headers: Record<string, string> = {};
            for (const name of message.headers?.keys() ?? []) headers[name] = message.headers!.get(name);
            await options.onEvent(event, { subject: message.subject, msgId: id, redelivered: message.redelivered, headers });
            seen.add(id);
          }
          message.ack();
        } catch (error) {
          lastError = error as Error;
          // Redelivered later (and to nobody else first): the order per subject holds.
          message.nak(1000);
        }
      }
    })().catch((error: Error) => (lastError = error));
    return {
      get duplicates() {
        return duplicates;
      },
      get lastError() {
        return lastError;
      },
      close: async () => {
        try {
          await messages.close();
          await loop;
        } finally {
          await connection.close();
        }
      },
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
