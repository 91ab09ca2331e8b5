import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '#config/app-config';
import { JsonLogger } from '#logging/json-logger';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { OutboxDelivery } from '#outbox/outbox-delivery';
import { OutboxRelay } from '#outbox/outbox-relay';
import { AppModule } from '../src/app.module';
import { BenchDb } from './db';
import { nowMs } from './stats';

/** Where the bench consumer reports what it handled; the running measurement installs its own listener. */
export const probe: { onEvents: (events: readonly OutboxMessage[], atMs: number) => void } = { onEvents: () => undefined };

/** An idempotent consumer of `bench.*` events that does no work of its own: it measures the relay, not a handler. */
@Consumer()
export class BenchConsumer implements OutboxConsumer {
  readonly name = 'bench.probe';
  readonly eventTypes = ['bench.*'];

  async handle(events: readonly OutboxMessage[]): Promise<void> {
    probe.onEvents(events, nowMs());
  }
}

@Module({})
class BenchRelayModule {
  static forRoot(app: DynamicModule): DynamicModule {
    return { module: BenchRelayModule, imports: [app], providers: [BenchConsumer] };
  }
}

export interface RelayHost {
  readonly relay: OutboxRelay;
  /** The relay's delivery, for the latency breakdown (wrapped to time each tenant delivery). */
  readonly delivery: OutboxDelivery;
  close(): Promise<void>;
}

/** The application as `ROLE=relay` runs it (no HTTP server), plus the bench consumer; the relay is not started yet. */
export async function startRelayHost(
  db: Pick<BenchDb, 'ownerUrl' | 'appPassword' | 'app'>,
  env: Record<string, string> = {},
): Promise<RelayHost> {
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: db.ownerUrl,
    APP_DB_PASSWORD: db.appPassword,
    ROLE: 'relay',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const logger = new JsonLogger(config.logLevel);
  const app: INestApplicationContext = await NestFactory.createApplicationContext(
    BenchRelayModule.forRoot(AppModule.forRoot(config, db.app, logger)),
    { logger },
  );
  const relay = app.get(OutboxRelay);
  return {
    relay,
    delivery: app.get(OutboxDelivery),
    close: async () => {
      await relay.stop();
      await app.close();
    },
  };
}
