import { Injectable, SetMetadata, applyDecorators } from '@nestjs/common';
import type { Pool } from 'pg';

export const RELAY_WORKER = 'crm:relay-worker';

/**
 * Background work that runs wherever the outbox relay runs, on the relay's crm_relay connections (the only ones
 * allowed to call the cross-tenant SECURITY DEFINER claims): started after the relay opens its pool, stopped
 * before it closes it. Several relays run them at once, so a worker claims with SKIP LOCKED.
 */
export interface RelayWorker {
  start(pool: Pool): void;
  /** Stops and waits for the work in flight. Idempotent. */
  stop(): Promise<void>;
}

/** Marks a provider as a relay worker, discovered by the relay at start-up. */
export const Worker = () => applyDecorators(Injectable(), SetMetadata(RELAY_WORKER, true));
