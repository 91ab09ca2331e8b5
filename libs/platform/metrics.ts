import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Pool } from 'pg';
import type { OutboxBacklog } from '../outbox/outbox-relay';
import type { OutboxMessage } from '../outbox/outbox-message';
import { RelayMetrics } from '../outbox/relay-metrics';

/**
 * The process's Prometheus metrics, on a registry of its own (several apps may share a process in tests).
 * Counters are updated where things happen; pool use and the outbox backlog are read when scraped.
 */
export class Metrics extends RelayMetrics {
  readonly registry = new Registry();
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly rateLimited = new Counter({
    name: 'http_rate_limited_total',
    help: 'Requests answered 429, by budget (credential or unauthenticated client address)',
    labelNames: ['budget'] as const,
    registers: [this.registry],
  });
  private readonly relayEvents = new Counter({
    name: 'outbox_relay_delivered_events_total',
    help: 'Outbox events the relay of this process delivered (relay throughput)',
    registers: [this.registry],
  });
  private readonly deliveryLag = new Histogram({
    name: 'outbox_delivery_lag_seconds',
    help: 'From the event (its commit) to its delivery to the consumers',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    registers: [this.registry],
  });
  private pools: { name: string; pool: () => Pool | undefined }[] = [];
  private backlogSource?: () => Promise<OutboxBacklog | undefined>;

  constructor() {
    super();
    collectDefaultMetrics({ register: this.registry });
    const pools = () => this.pools;
    const backlog = () => this.backlogSource?.();
    new Gauge({
      name: 'db_pool_connections',
      help: 'Connections of each database pool of this process, by state (total, idle, waiting requests)',
      labelNames: ['pool', 'state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { name, pool } of pools()) {
          const p = pool();
          if (!p) continue;
          this.set({ pool: name, state: 'total' }, p.totalCount);
          this.set({ pool: name, state: 'idle' }, p.idleCount);
          this.set({ pool: name, state: 'waiting' }, p.waitingCount);
        }
      },
    });
    new Gauge({
      name: 'outbox_events_backlog',
      help: 'Unfinished outbox events across tenants: pending, retrying, processing, dead (failed)',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const counts = await backlog();
        if (!counts) return;
        for (const status of ['pending', 'retrying', 'processing', 'dead'] as const) this.set({ status }, counts[status]);
      },
    });
  }

  /** One finished HTTP request; `route` is the route pattern (`/api/v1/contacts/:id`), never the raw URL. */
  request(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  rejected(budget: 'credential' | 'unauthenticated'): void {
    this.rateLimited.inc({ budget });
  }

  delivered(events: readonly OutboxMessage[]): void {
    this.relayEvents.inc(events.length);
    const now = Date.now();
    for (const e of events) this.deliveryLag.observe(Math.max(0, now - e.occurredAt.getTime()) / 1000);
  }

  watchPool(name: string, pool: () => Pool | undefined): void {
    this.pools.push({ name, pool });
  }

  watchBacklog(source: () => Promise<OutboxBacklog | undefined>): void {
    this.backlogSource = source;
  }
}
