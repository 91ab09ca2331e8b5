import { Pool } from 'pg';
import { Logger, Runner, run as runGraphileWorker } from 'graphile-worker';
import PgBoss from 'pg-boss';
import { toClientConfig } from '#persistence/connection-options';
import { Tenant } from './api-process';
import { BenchDb } from './db';
import { LatencyResult, relayLatency } from './outbox-latency';
import { DrainResult, relayDrain } from './relay-throughput';
import { startRelayHost } from './relay-host';
import { Row, fmt, stageRows } from './report';
import { nowMs, sleep, summarize } from './stats';

/** One queue's figures: a drained backlog (jobs/s) and enqueue-commit → handler latency at a steady rate. */
export interface QueueFigures {
  name: string;
  settings: string;
  drain: { jobs: number; seconds: number; jobsPerSec: number };
  latency: { ratePerSec: number; jobs: number; p50Ms: number; p99Ms: number; missing: number };
  /** Ours only: the latency's stages. */
  relayLatency?: LatencyResult;
}

export interface QueueComparison {
  outbox: QueueFigures;
  graphileWorker: QueueFigures;
  pgBoss: QueueFigures;
}

const JOBS = Number(process.env.BENCH_QUEUE_JOBS ?? 20_000);
const RATE = { ratePerSec: 200, seconds: Number(process.env.BENCH_QUEUE_SECONDS ?? 10), warmupSeconds: 1 };

/** A queue under test: bulk-enqueue, one job in its own transaction, and a worker with a no-op handler. */
interface Queue {
  name: string;
  settings: string;
  enqueueMany(count: number): Promise<void>;
  enqueueOne(id: string): Promise<void>;
  startWorker(onJob: (id: string) => void): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Issue 9 section 3: the same enqueue-and-process workload through our outbox and relay, graphile-worker and
 * pg-boss on the same server in the same run. Ours runs as the application and relay roles under RLS with durable
 * commits; the others as the database owner (they know no tenants), also with durable commits.
 */
export async function compareQueues(db: BenchDb, tenant: Tenant): Promise<QueueComparison> {
  const outbox = await outboxFigures(db, tenant);
  const graphileWorker = await figures(await graphileQueue(db));
  const pgBoss = await figures(await pgBossQueue(db));
  return { outbox, graphileWorker, pgBoss };
}

export function queueRows(r: QueueComparison): Row[] {
  const ours = r.outbox;
  return [r.outbox, r.graphileWorker, r.pgBoss].flatMap((q) => [
    ...(q.relayLatency ? stageRows(q.relayLatency) : []),
    {
      measurement: `queues: ${q.name} drain ${fmt(q.drain.jobs)} no-op jobs (${q.settings})`,
      app: `${fmt(q.drain.jobsPerSec)} jobs/s (${fmt(q.drain.seconds, 1)} s)`,
      baseline: `outbox ${fmt(ours.drain.jobsPerSec)} jobs/s`,
      ratio: q.drain.jobsPerSec / ours.drain.jobsPerSec,
      aim: q === ours ? '' : 'outbox ahead (ratio < 1)',
      met: q === ours ? null : q.drain.jobsPerSec < ours.drain.jobsPerSec,
    },
    {
      measurement: `queues: ${q.name} enqueue -> handler @ ${q.latency.ratePerSec}/s`,
      app: `p50 ${fmt(q.latency.p50Ms, 1)} ms, p99 ${fmt(q.latency.p99Ms, 1)} ms${q.latency.missing ? `, ${q.latency.missing} MISSING` : ''}`,
      baseline: `outbox p50 ${fmt(ours.latency.p50Ms, 1)} ms, p99 ${fmt(ours.latency.p99Ms, 1)} ms`,
      ratio: q.latency.p99Ms / ours.latency.p99Ms,
      aim: q === ours ? '' : 'outbox ahead (ratio > 1)',
      met: q === ours ? null : q.latency.p99Ms > ours.latency.p99Ms,
    },
  ]);
}

/** Ours, through the harness of the relay figures: the bench consumer behind a real relay. */
async function outboxFigures(db: BenchDb, tenant: Tenant): Promise<QueueFigures> {
  const drain: DrainResult = await relayDrain(db, tenant, JOBS);
  const host = await startRelayHost(db);
  let latency: LatencyResult;
  try {
    await host.relay.start();
    latency = await relayLatency(db, tenant, host, RATE);
  } finally {
    await host.close();
  }
  return {
    name: 'outbox + relay',
    settings: `batch ${drain.batchSize}, LISTEN/NOTIFY`,
    drain: { jobs: drain.events, seconds: drain.seconds, jobsPerSec: drain.eventsPerSec },
    latency: { ratePerSec: RATE.ratePerSec, jobs: latency.events, p50Ms: latency.p50Ms, p99Ms: latency.p99Ms, missing: latency.missing },
    relayLatency: latency,
  };
}

async function figures(queue: Queue): Promise<QueueFigures> {
  try {
    // Throughput: the backlog first, then a worker started on it, timed until it handled every job.
    await queue.enqueueMany(JOBS);
    let handled = 0;
    const started = nowMs();
    await queue.startWorker(() => (handled += 1));
    while (handled < JOBS) {
      if (nowMs() - started > 300_000) throw new Error(`${queue.name} handled ${handled} of ${JOBS} jobs in 5 minutes`);
      await sleep(10);
    }
    const seconds = (nowMs() - started) / 1000;
    await queue.stopWorker();

    // Latency: one job per transaction at a steady rate (open loop), commit returned -> handler called.
    const handledAt = new Map<string, number>();
    await queue.startWorker((id) => handledAt.set(id, nowMs()));
    const committedAt = new Map<string, number>();
    const total = RATE.ratePerSec * (RATE.seconds + RATE.warmupSeconds);
    const pending: Promise<void>[] = [];
    const t0 = nowMs();
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / RATE.ratePerSec;
      if (due > nowMs()) await sleep(due - nowMs());
      const id = `job-${i}`;
      pending.push(queue.enqueueOne(id).then(() => void committedAt.set(id, nowMs())));
    }
    await Promise.all(pending);
    const deadline = nowMs() + 10_000;
    while (handledAt.size < total && nowMs() < deadline) await sleep(20);
    await queue.stopWorker();
    const skip = RATE.ratePerSec * RATE.warmupSeconds;
    const latencies: number[] = [];
    let missing = 0;
    for (let i = skip; i < total; i++) {
      const at = handledAt.get(`job-${i}`);
      if (at === undefined) missing += 1;
      else latencies.push(Math.max(0, at - committedAt.get(`job-${i}`)!));
    }
    const s = summarize(latencies);
    return {
      name: queue.name,
      settings: queue.settings,
      drain: { jobs: JOBS, seconds, jobsPerSec: JOBS / seconds },
      latency: { ratePerSec: RATE.ratePerSec, jobs: latencies.length, p50Ms: s.p50, p99Ms: s.p99, missing },
    };
  } finally {
    await queue.close();
  }
}

/** graphile-worker 0.17: LISTEN/NOTIFY wake-ups, `add_job`/`add_jobs` in SQL, 10 concurrent jobs per worker. */
async function graphileQueue(db: BenchDb): Promise<Queue> {
  const connectionString = db.ownerUrl;
  const client = new Pool({ ...toClientConfig(db.owner), max: 4 });
  let runner: Runner | undefined;
  let onJob: (id: string) => void = () => undefined;
  const start = async () =>
    runGraphileWorker({
      connectionString,
      concurrency: 10,
      noHandleSignals: true,
      pollInterval: 2000,
      logger: new Logger(() => () => undefined),
      taskList: { noop: async (payload) => onJob((payload as { id: string }).id) },
    });
  // Installs its schema and stops: the backlog goes in before the first worker.
  await (await start()).stop();
  return {
    name: 'graphile-worker 0.17.3',
    settings: 'concurrency 10',
    enqueueMany: async (count) =>
      void (await client.query(
        `SELECT graphile_worker.add_jobs(array_agg(ROW('noop', json_build_object('id', 'bulk-' || i), NULL, NULL, NULL, NULL, NULL, NULL)::graphile_worker.job_spec))
           FROM generate_series(1, $1::int) AS i`,
        [count],
      )),
    enqueueOne: async (id) => void (await client.query(`SELECT graphile_worker.add_job('noop', json_build_object('id', $1::text))`, [id])),
    startWorker: async (handler) => {
      onJob = handler;
      runner = await start();
    },
    stopWorker: async () => {
      await runner?.stop();
      runner = undefined;
    },
    close: async () => {
      await runner?.stop();
      await client.end();
    },
  };
}

/** pg-boss 10: polling (its floor is 0.5 s), batches of 100 per fetch, `insert` for the backlog. */
async function pgBossQueue(db: BenchDb): Promise<Queue> {
  const boss = new PgBoss({ connectionString: db.ownerUrl, schedule: false, supervise: false, max: 4 });
  boss.on('error', (error) => console.error('pg-boss:', error));
  await boss.start();
  await boss.createQueue('noop');
  let workerId: string | undefined;
  return {
    name: 'pg-boss 10.4.2',
    settings: 'batch 100, polling 0.5 s',
    enqueueMany: async (count) => {
      for (let i = 0; i < count; i += 1000)
        await boss.insert(Array.from({ length: Math.min(1000, count - i) }, (_, k) => ({ name: 'noop', data: { id: `bulk-${i + k}` } })));
    },
    enqueueOne: async (id) => void (await boss.send('noop', { id })),
    startWorker: async (handler) => {
      workerId = await boss.work<{ id: string }>('noop', { batchSize: 100, pollingIntervalSeconds: 0.5 }, async (jobs) =>
        jobs.forEach((job) => handler(job.data.id)),
      );
    },
    stopWorker: async () => {
      if (workerId) await boss.offWork({ id: workerId });
      workerId = undefined;
    },
    close: () => boss.stop({ graceful: false, wait: true }),
  };
}
