import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/** Due timers moved into the outbox per `timers_fire()` call; a full batch means more are due: it calls again. */
export const TIMER_FIRE_BATCH = 500;

/**
 * Fires due durable timers: every TIMER_POLL_INTERVAL_MS (and at once on start) it calls `timers_fire()` on the
 * relay's crm_relay connections, which moves due timers into the outbox in one transaction, and then wakes the
 * relay so their events go out at once. The relay starts and stops it. Any number of relays may poll: the
 * function skips timers another one holds. A failed poll (database away) is logged and retried on the next tick.
 * The relay's connections commit asynchronously: a fire lost in a crash loses its delete and its event together,
 * so the timer is still pending afterwards and fires again; never one without the other.
 */
@Injectable()
export class TimerPoller {
  private readonly logger = new Logger(TimerPoller.name);
  private pool?: Pool;
  private onFired: () => void = () => undefined;
  private interval?: NodeJS.Timeout;
  private inFlight?: Promise<number>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** `onFired` runs after a poll fired at least one timer (the relay's wake-up). */
  start(pool: Pool, onFired: () => void): void {
    if (this.pool) return;
    this.pool = pool;
    this.onFired = onFired;
    this.interval = setInterval(() => void this.poll(), this.config.timers.pollIntervalMs);
    this.interval.unref();
    void this.poll();
  }

  /** Stops polling and waits for a poll in flight, before the relay closes its pool. Idempotent. */
  async stop(): Promise<void> {
    clearInterval(this.interval);
    this.interval = undefined;
    this.pool = undefined;
    await this.inFlight;
  }

  /** Fires every due timer now; resolves with how many fired (0 while stopped or when the database is away). */
  poll(): Promise<number> {
    // One poll at a time per process: a slow one is joined rather than overlapped.
    this.inFlight ??= this.fireAll().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async fireAll(): Promise<number> {
    let total = 0;
    try {
      for (let fired = TIMER_FIRE_BATCH; fired === TIMER_FIRE_BATCH && this.pool;) {
        const { rows } = await this.pool.query<{ fired: number }>('SELECT timers_fire($1) AS fired', [TIMER_FIRE_BATCH]);
        fired = rows[0].fired;
        total += fired;
      }
    } catch (error) {
      this.logger.warn(`firing timers failed (retrying in ${this.config.timers.pollIntervalMs} ms): ${(error as Error).message}`);
    }
    if (total > 0) this.onFired();
    return total;
  }
}
