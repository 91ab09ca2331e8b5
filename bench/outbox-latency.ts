import { AsyncLocalStorage } from 'node:async_hooks';
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
  /** Relay only: where each event's milliseconds went (p50 / p99 of each stage). */
  stages?: Record<Stage, { p50: number; p99: number }>;
}

/**
 * `wait`: commit returned → the claim that took it started (the wake-up, or the worker finishing its previous
 * batch; negative when a claim already under way saw the commit); `claim`: `outbox_claim()`; `toHandler`: the
 * delivery transaction up to `handle()` (BEGIN, tenant settings, processed_events); `settle`: after `handle()`
 * until the delivery committed (marking processed; delays the next claim, not this event).
 */
type Stage = 'wait' | 'claim' | 'toHandler' | 'settle';

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
  const stamps = new Map<string, { claimStart: number; claimed: number; done: number }>();
  const unwrap = timeDeliveries(host, stamps);
  try {
    const { result, ids, committedAtMs } = await measure(db, tenant, 'outbox', seen, opts);
    return { ...result, stages: stages(ids, committedAtMs, seen, stamps) };
  } finally {
    unwrap();
    probe.onEvents = () => undefined;
  }
}

/** Wraps the relay's public `processBatch` and the delivery's `deliver` to stamp each event's claim and delivery. */
function timeDeliveries(host: RelayHost, stamps: Map<string, { claimStart: number; claimed: number; done: number }>): () => void {
  const claimStart = new AsyncLocalStorage<number>();
  const { relay, delivery } = host;
  const processBatch = relay.processBatch;
  const deliver = delivery.deliver;
  relay.processBatch = () => claimStart.run(nowMs(), () => processBatch.call(relay));
  delivery.deliver = async (tenantId, events, consumers) => {
    const claimed = nowMs();
    await deliver.call(delivery, tenantId, events, consumers);
    const done = nowMs();
    for (const e of events) stamps.set(e.eventId, { claimStart: claimStart.getStore() ?? NaN, claimed, done });
  };
  return () => {
    relay.processBatch = processBatch;
    delivery.deliver = deliver;
  };
}

function stages(
  ids: string[],
  committedAtMs: number[],
  seen: Map<string, number>,
  stamps: Map<string, { claimStart: number; claimed: number; done: number }>,
): LatencyResult['stages'] {
  const samples: Record<Stage, number[]> = { wait: [], claim: [], toHandler: [], settle: [] };
  ids.forEach((id, i) => {
    const s = stamps.get(id);
    const handled = seen.get(id);
    if (!s || handled === undefined) return;
    samples.wait.push(s.claimStart - committedAtMs[i]);
    samples.claim.push(s.claimed - s.claimStart);
    samples.toHandler.push(handled - s.claimed);
    samples.settle.push(s.done - handled);
  });
  const pick = (xs: number[]) => {
    const { p50, p99 } = summarize(xs);
    return { p50, p99 };
  };
  return { wait: pick(samples.wait), claim: pick(samples.claim), toHandler: pick(samples.toHandler), settle: pick(samples.settle) };
}

/** Commit → a plain `pg` client LISTENing on the channel: the floor any NOTIFY-driven relay sits on. */
export async function notifyLatency(db: BenchDb, tenant: Tenant, opts: LatencyOptions): Promise<LatencyResult> {
  const seen = new Map<string, number>();
  const listener = new Client(toClientConfig(db.app));
  await listener.connect();
  listener.on('notification', (n) => seen.set(n.payload ?? '', nowMs()));
  await listener.query('LISTEN bench_ping');
  try {
    return (await measure(db, tenant, 'notify', seen, opts)).result;
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
): Promise<{ result: LatencyResult; ids: string[]; committedAtMs: number[] }> {
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
  const measured = { ids: out.ids.slice(skip), committedAtMs: out.committedAtMs.slice(skip) };
  if (mode === 'notify') return { result, ...measured };
  // The events of one handle() call share its timestamp, so distinct timestamps count the relay's deliveries.
  const deliveries = new Set(measured.ids.map((id) => seen.get(id))).size;
  return { result: { ...result, deliveries, eventsPerDelivery: s.count / deliveries }, ...measured };
}

function runProducer(input: ProducerInput): Promise<ProducerOutput> {
  return new Promise((done, fail) => {
    const worker = new Worker(join(__dirname, 'paced-producer.js'), { workerData: input });
    worker.once('message', (msg: ProducerOutput & { error?: string }) => (msg.error ? fail(new Error(msg.error)) : done(msg)));
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`the producer worker exited with ${code} before reporting`)));
  });
}
