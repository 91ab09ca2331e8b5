import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RATE_LIMIT_STORE, RateLimitStore } from '../http/rate-limit-store';

/** A database server this process started itself (the embedded PostgreSQL of `npm start`), stopped last. */
export interface OwnedDatabaseServer {
  stop(): Promise<void>;
}
export const OWNED_DATABASE_SERVER = Symbol('OWNED_DATABASE_SERVER');

/**
 * The end of the one shutdown path (Nest's lifecycle, started by SIGTERM/SIGINT or app.close()): by the time this
 * runs, the HTTP server has drained, the relay has stopped (onModuleDestroy) and the other pools have closed
 * (onApplicationShutdown of modules closer to the root). Then the application pool, the rate-limit store, and the
 * server this process started, each exactly once.
 */
@Injectable()
export class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(RATE_LIMIT_STORE) private readonly rateLimits: RateLimitStore & { close?: () => Promise<void> },
    @Optional() @Inject(OWNED_DATABASE_SERVER) private readonly server?: OwnedDatabaseServer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.rateLimits.close?.();
    await this.server?.stop();
    new Logger('Shutdown').log(`stopped${this.server ? ' (embedded PostgreSQL too)' : ''}`);
  }
}
