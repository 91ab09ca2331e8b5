import { DynamicModule, ExecutionContext, Module, Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { AppConfig } from '#config/app-config';
import { IdempotencyInterceptor, ProblemDetailsFilter, TransactionInterceptor } from '#http';
import { JsonLogger } from '#logging/json-logger';
import { OutboxAdminModule } from '#outbox/outbox-admin.module';
import { PgTarget } from '#persistence/connection-options';
import { HealthController } from '#platform/health.controller';
import { PlatformModule } from '#platform/platform.module';
import { AuthGuard, RolesGuard } from '#tenancy';
import { CONTEXTS } from './bounded-contexts';

/** Rate limits count per credential (API key or user), falling back to the client address before sign-in. */
class CredentialThrottlerGuard extends ThrottlerGuard {
  protected async getTracker(req: Request & { credentialId?: string }): Promise<string> {
    return req.credentialId ?? req.ip ?? 'unknown';
  }

  /** One budget per credential for the whole API (the default key is per route: N routes would allow N times the limit). */
  protected generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }
}

@Module({})
export class AppModule {
  /** `extraProviders`: e.g. additional outbox consumers (benchmarks, tests, plug-ins). */
  static forRoot(config: AppConfig, db: PgTarget, logger: JsonLogger, extraProviders: Provider[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config, db, logger),
        // Unnamed (the "default" throttler), so the headers are the standard Retry-After and X-RateLimit-*, without a suffix.
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: config.rateLimitPerMinute }]),
        ...CONTEXTS.flatMap((c) => (c.module ? [c.module] : [])),
        OutboxAdminModule,
      ],
      controllers: [HealthController],
      providers: [
        // Order matters: authenticate, then rate-limit the credential, then check its role.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: CredentialThrottlerGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_INTERCEPTOR, useClass: TransactionInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        ...extraProviders,
      ],
    };
  }
}
