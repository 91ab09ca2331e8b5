import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { BrokerBridgeModule } from '#broker/broker-bridge.module';
import { AppConfig } from '#config/app-config';
import { IdempotencyInterceptor, ProblemDetailsFilter, TransactionInterceptor } from '#http';
import { JsonLogger } from '#logging/json-logger';
import { EventStreamModule } from '#outbox/event-stream.module';
import { OutboxAdminModule } from '#outbox/outbox-admin.module';
import { PgTarget } from '#persistence/connection-options';
import { HealthController } from '#platform/health.controller';
import { PlatformModule, PlatformOptions } from '#platform/platform.module';
import { CredentialRateLimitGuard, ThrottledAuthGuard } from '#platform/rate-limit.guards';
import { AuthGuard, RolesGuard } from '#tenancy';
import { CONTEXTS } from './bounded-contexts';
import { ContextApisModule } from './context-apis.module';

@Module({})
export class AppModule {
  /** `extraProviders`: e.g. additional outbox consumers (benchmarks, tests, plug-ins). */
  static forRoot(
    config: AppConfig,
    db: PgTarget,
    logger: JsonLogger,
    extraProviders: Provider[] = [],
    options: PlatformOptions = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config, db, logger, options),
        ContextApisModule.forContexts(CONTEXTS),
        OutboxAdminModule,
        EventStreamModule,
        BrokerBridgeModule.forRoot(config),
      ],
      controllers: [HealthController],
      providers: [
        AuthGuard,
        // Order matters: authenticate (bad credentials limited per client address), then rate-limit the
        // credential, then check its role.
        { provide: APP_GUARD, useClass: ThrottledAuthGuard },
        { provide: APP_GUARD, useClass: CredentialRateLimitGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_INTERCEPTOR, useClass: TransactionInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        ...extraProviders,
      ],
    };
  }
}
