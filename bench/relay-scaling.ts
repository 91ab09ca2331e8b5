import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { Tenant } from './api-process';
import { BenchDb, appPool, insertBacklog, unfinishedEvents, vacuumOutbox } from './db';
import type { Row } from './report';
import { fmt } from './report';
import { nowMs, sleep } from './stats';

export interface ScalingResult {
  events: number;
  runs: { relays: number; seconds: number; eventsPerSec: number }[];
}

/**
 * The same backlog drained by 1, 2 and 4 relay processes at once (each as `ROLE=relay` runs, with the bench
 * consumer): the claim's SKIP LOCKED shares it out. Every event must be handled exactly once across them.
 */
export async function relayScaling(db: BenchDb, tenant: Tenant, events: number, counts: number[]): Promise<ScalingResult> {
  const runs: ScalingResult['runs'] = [];
  const pool = appPool(db, 2);
  try {
    for (const relays of counts) {
      await insertBacklog(pool, tenant, 'bench.scale', events);
      await vacuumOutbox(db);
      const children = await Promise.all(Array.from({ length: relays }, () => startRelayProcess(db)));
      try {
        const started = nowMs();
        for (const child of children) child.send('go');
        while ((await unfinishedEvents(pool, tenant.tenantId)) > 0) {
          if (nowMs() - started > 300_000) throw new Error(`${relays} relays left events unfinished for 5 minutes`);
          await sleep(20);
        }
        const seconds = (nowMs() - started) / 1000;
        const handled = (await Promise.all(children.map(stopRelayProcess))).reduce((a, b) => a + b, 0);
        if (handled !== events) throw new Error(`${relays} relays handled ${handled} events of ${events}`);
        runs.push({ relays, seconds, eventsPerSec: events / seconds });
      } finally {
        for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      }
    }
  } finally {
    await pool.end();
  }
  return { events, runs };
}

function startRelayProcess(db: BenchDb): Promise<ChildProcess> {
  const child = fork(join(__dirname, 'relay-process.js'), [], {
    env: { ...process.env, DATABASE_URL: db.ownerUrl, APP_DB_PASSWORD: db.appPassword },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => (message === 'ready' ? resolve(child) : reject(new Error(`relay process said ${String(message)}`))));
    child.once('exit', (code) => reject(new Error(`relay process exited with ${code} before it was ready`)));
  });
}

function stopRelayProcess(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve((message as { handled: number }).handled));
    child.once('exit', (code) => reject(new Error(`relay process exited with ${code} before reporting`)));
    child.send('stop');
  });
}

export function scalingRows(r: ScalingResult): Row[] {
  const single = r.runs.find((run) => run.relays === 1);
  return r.runs.map((run) => ({
    measurement: `relay processes x${run.relays}, ${fmt(r.events)}-event backlog (ev/s)`,
    app: `${fmt(run.eventsPerSec)} ev/s (${fmt(run.seconds, 1)} s)`,
    baseline: single ? `1 relay: ${fmt(single.eventsPerSec)} ev/s` : '',
    ratio: single ? run.eventsPerSec / single.eventsPerSec : null,
    aim: 'report (2 cores shared with PostgreSQL)',
    met: null,
  }));
}
