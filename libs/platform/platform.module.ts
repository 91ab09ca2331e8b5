import { DynamicModule, Global, Logger, Module, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MemoryRateLimitStore, RATE_LIMIT_STORE } from '../http/rate-limit-store';
import { RedisRateLimitStore } from '../http/redis-rate-limit-store';
import { JsonLogger } from '../logging/json-logger';
import { startRequest } from '../logging/request-logging';
import { OutboxDelivery } from '../outbox/outbox-delivery';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutboxWriter } from '../outbox/outbox-writer';
import { RelayMetrics } from '../outbox/relay-metrics';
import { PgTarget } from '../persistence/connection-options';
import { isDatabaseUnavailable } from '../persistence/database-errors';
import { APP_DB_TARGET } from '../persistence/tokens';
import { TransactionRunner } from '../persistence/transaction-runner';
import { AggregateStore } from '../persistence/aggregate-store';
import { TimerPoller } from '../timers/timer-poller';
import { TimerScheduler } from '../timers/timer-scheduler';
import { RequestContext } from '../tenancy/request-context';
import { HttpDrain } from './http-drain';
import { DatabaseLifecycle, OWNED_DATABASE_SERVER, OwnedDatabaseServer } from './database-lifecycle';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics-server';

export interface PlatformOptions {
  /** A database server this process started (embedded PostgreSQL): stopped at the very end of shutdown. */
  server?: OwnedDatabaseServer;
}

/** The shared kernel's wiring: configuration, request context, the app-role connection pool, unit of work, outbox. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig, db: PgTarget, logger: JsonLogger, options: PlatformOptions = {}): DynamicModule {
    const metrics = new Metrics();
    const poolLogger = new Logger('crm-app');
    return {
      module: PlatformModule,
      imports: [
        ClsModule.forRoot({
          global: true,
          middleware: {
            mount: true,
            setup: (cls, req, res) => startRequest(logger, cls, req, res, (...args) => metrics.request(...args)),
          },
        }),
        CqrsModule.forRoot(),
        DiscoveryModule,
        TypeOrmModule.forRoot({
          type: 'postgres',
          host: db.host,
          port: db.port,
          database: db.database,
          username: db.user,
          password: db.password,
          autoLoadEntities: true,
          synchronize: false,
          migrationsRun: false,
          logging: false,
          // An idle connection the server closed is dropped and replaced on demand: a warning, never a crash.
          poolErrorHandler: (error: Error) =>
            isDatabaseUnavailable(error)
              ? poolLogger.warn(`idle connection lost (${error.message}); reconnecting on demand`)
              : poolLogger.error(`idle connection failed: ${error.message}`, error.stack),
          // A pool that cannot get a connection in time answers 503 rather than queueing requests forever.
          extra: { max: config.dbPoolSize, application_name: `crm-${config.role}`, connectionTimeoutMillis: 5000 },
        }),
      ],
      controllers: [MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_DB_TARGET, useValue: db },
        { provide: JsonLogger, useValue: logger },
        { provide: Metrics, useValue: metrics },
        { provide: RelayMetrics, useExisting: Metrics },
        ...(options.server ? [{ provide: OWNED_DATABASE_SERVER, useValue: options.server }] : []),
        rateLimitStore(config),
        {
          // Pool use and the outbox backlog are read when /metrics is scraped.
          provide: 'METRICS_SOURCES',
          inject: [DataSource, OutboxRelay],
          useFactory: (dataSource: DataSource, relay: OutboxRelay) => {
            metrics.watchPool('app', () => (dataSource.driver as unknown as { master?: Pool }).master);
            metrics.watchPool('relay', () => relay.connections);
            metrics.watchBacklog(() => relay.backlog());
            return true;
          },
        },
        RequestContext,
        TransactionRunner,
        AggregateStore,
        OutboxWriter,
        OutboxDelivery,
        OutboxRelay,
        TimerScheduler,
        TimerPoller,
        MetricsServer,
        HttpDrain,
        DatabaseLifecycle,
      ],
      exports: [
        APP_CONFIG,
        APP_DB_TARGET,
        JsonLogger,
        Metrics,
        RATE_LIMIT_STORE,
        RequestContext,
        TransactionRunner,
        AggregateStore,
        OutboxWriter,
        OutboxRelay,
        TimerScheduler,
        CqrsModule,
      ],
    };
  }
}

/** Redis when REDIS_URL is set (limits shared by every process), otherwise counters in memory. */
function rateLimitStore(config: AppConfig): Provider {
  return {
    provide: RATE_LIMIT_STORE,
    useFactory: () =>
      config.redisUrl ? RedisRateLimitStore.connect(config.redisUrl, new Logger('RateLimit')) : new MemoryRateLimitStore(),
  };
}
