import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JsonLogger } from '../logging/json-logger';
import { startRequest } from '../logging/request-logging';
import { OutboxDelivery } from '../outbox/outbox-delivery';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutboxWriter } from '../outbox/outbox-writer';
import { PgTarget } from '../persistence/connection-options';
import { APP_DB_TARGET } from '../persistence/tokens';
import { TransactionRunner } from '../persistence/transaction-runner';
import { AggregateStore } from '../persistence/aggregate-store';
import { RequestContext } from '../tenancy/request-context';
import { MemoryRateLimitStore, RATE_LIMIT_STORE } from '../http/rate-limit-store';

/** The shared kernel's wiring: configuration, request context, the app-role connection pool, unit of work, outbox. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig, db: PgTarget, logger: JsonLogger): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ClsModule.forRoot({
          global: true,
          middleware: { mount: true, setup: (cls, req, res) => startRequest(logger, cls, req, res) },
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
          extra: { max: config.dbPoolSize, application_name: `crm-${config.role}` },
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_DB_TARGET, useValue: db },
        { provide: JsonLogger, useValue: logger },
        RequestContext,
        TransactionRunner,
        AggregateStore,
        OutboxWriter,
        OutboxDelivery,
        OutboxRelay,
        { provide: RATE_LIMIT_STORE, useClass: MemoryRateLimitStore },
      ],
      exports: [
        RATE_LIMIT_STORE,
        APP_CONFIG,
        APP_DB_TARGET,
        JsonLogger,
        RequestContext,
        TransactionRunner,
        AggregateStore,
        OutboxWriter,
        OutboxRelay,
        CqrsModule,
      ],
    };
  }
}
