import { loadConfig } from '#config/app-config';
import { consumeFromNats } from './nats-consumer';
import { ExternalConsumer } from './processed-ids';
import { consumeFromRabbitMq } from './rabbitmq-consumer';

/**
 * Prints the CRM's events from a broker as JSON lines, each event once:
 *   RABBITMQ_URL=amqp://guest:guest@127.0.0.1:5672 node dist/src/tooling/broker-consumer/main.js rabbitmq [binding key]
 *   NATS_URL=nats://127.0.0.1:4222 node dist/src/tooling/broker-consumer/main.js nats [subject filter]
 * The exchange, stream and subject prefix are the application's settings (RABBITMQ_EXCHANGE, NATS_STREAM,
 * NATS_SUBJECT_PREFIX); CONSUMER_NAME names the durable queue or consumer (default `crm-example`).
 */
async function main(): Promise<void> {
  const [kind, filter] = process.argv.slice(2);
  const { broker } = loadConfig();
  const name = process.env.CONSUMER_NAME || 'crm-example';
  const print = (event: unknown) => void process.stdout.write(`${JSON.stringify(event)}\n`);
  let consumer: ExternalConsumer;
  if (kind === 'rabbitmq' && broker.rabbitmq) {
    const { url, exchange } = broker.rabbitmq;
    consumer = await consumeFromRabbitMq({ url, exchange, queue: name, bindingKeys: [filter || '#'], onEvent: print });
  } else if (kind === 'nats' && broker.nats) {
    const { servers, stream, subjectPrefix } = broker.nats;
    consumer = await consumeFromNats({
      servers: [...servers],
      stream,
      durable: name,
      filterSubject: filter || `${subjectPrefix}.>`,
      onEvent: print,
    });
  } else {
    process.stderr.write('usage: main.js rabbitmq|nats [filter], with RABBITMQ_URL or NATS_URL set\n');
    process.exit(2);
  }
  const stop = () => void consumer.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`${String(error?.stack ?? error)}\n`);
  process.exit(1);
});
