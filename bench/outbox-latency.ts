import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import { toClientConfig } from '#persistence/connection-options';
import { Tenant } from './api-process';
import { BenchDb } from './db';
import type { ProducerInput, ProducerOutput } from './paced-producer';
import { RelayHost, probe } from './relay-host';
import { nowMs, sleep, summarize } from './stats';

export interface LatencyResult {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  events: number;
  missing: number;
  ratePerSec: number;
  producerMaxLagMs: number;
  /** Relay only: deliveries (handle() calls) that carried the measured events, and events per delivery. */
  deliveries?: number;
  eventsPerDelivery?: number;
}

export interface LatencyOptions {
  ratePerSec: number;
  seconds: number;
  /** Leading seconds produced but left out of the figures. */
  warmupSeconds: number;
}

/** Commit → `handle()` of the bench consumer, through the relay (LISTEN wake-up, claim, delivery transaction). */
export async function relayLatency(db: BenchDb, tenant: Tenant, host: RelayHost, opts: LatencyOptions): Promise<LatencyResult> {
  const seen = new Map<string, number>();
  probe.onEvents = (events, atMs) => events.forEach((e) => seen.set(e.eventId, atMs));
  try {
    return await measure(db, tenant, 'outbox', seen, opts);
  } finally {
    probe.onEvents = () => undefined;
  }
}

/** Commit → a plain `pg` client LISTENing on the channel: the floor any NOTIFY-driven relay sits on. */
export async function notifyLatency(db: BenchDb, tenant: Tenant, opts: LatencyOptions): Promise<LatencyResult> {
  const seen = new Map<string, number>();
  const listener = new Client(toClientConfig(db.app));
  await listener.connect();
  listener.on('notification', (n) => seen.set(n.payload ?? '', nowMs()));
  await listener.query('LISTEN bench_ping');
  try {
    return await measure(db, tenant, 'notify', seen, opts);
  } finally {
    await listener.end();
  }
}

async function measure(
  db: BenchDb,
  tenant: Tenant,
  mode: ProducerInput['mode'],
  seen: Map<string, number>,
  opts: LatencyOptions,
): Promise<LatencyResult> {
  const total = opts.ratePerSec * (opts.warmupSeconds + opts.seconds);
  const out = await runProducer({
    mode,
    target: toClientConfig(db.app),
    tenantId: tenant.tenantId,
    projectId: tenant.projectId,
    ratePerSec: opts.ratePerSec,
    count: total,
    connections: 8,
  });
  const deadline = nowMs() + 10_000;
  while (out.ids.some((id) => !seen.has(id)) && nowMs() < deadline) await sleep(20);
  const skip = opts.ratePerSec * opts.warmupSeconds;
  const latencies: number[] = [];
  let missing = 0;
  for (let i = skip; i < total; i++) {
    const at = seen.get(out.ids[i]);
    if (at === undefined) missing += 1;
    else latencies.push(at - out.committedAtMs[i]);
  }
  const s = summarize(latencies);
  const result: LatencyResult = {
    p50Ms: s.p50,
    p99Ms: s.p99,
    maxMs: s.max,
    events: s.count,
    missing,
    ratePerSec: total / (out.elapsedMs / 1000),
    producerMaxLagMs: out.maxLagMs,
  };
  if (mode === 'notify') return result;
  // The events of one handle() call share its timestamp, so distinct timestamps count the relay's deliveries.
  const deliveries = new Set(out.ids.slice(skip).map((id) => seen.get(id))).size;
  return { ...result, deliveries, eventsPerDelivery: s.count / deliveries };
}

function runProducer(input: ProducerInput): Promise<ProducerOutput> {
  return new Promise((done, fail) => {
    const worker = new Worker(join(__dirname, 'paced-producer.js'), { workerData: input });
    worker.once('message', (msg: ProducerOutput & { error?: string }) => (msg.error ? fail(new Error(msg.error)) : done(msg)));
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`the producer worker exited with ${code} before reporting`)));
  });
}
