import { parentPort, workerData } from 'node:worker_threads';
import { Pool, PoolClient } from 'pg';
import { newId } from '#kernel';
import { nowMs } from './stats';

/**
 * A worker thread that commits one event per transaction at a steady rate, open loop (a late commit does not delay
 * the next one), and reports when each COMMIT returned. `outbox`: an outbox row in a tenant transaction (its
 * trigger sends the NOTIFY); `notify`: a bare `pg_notify` carrying the event id, for the LISTEN/NOTIFY baseline.
 */
export interface ProducerInput {
  mode: 'outbox' | 'notify';
  target: object;
  tenantId: string;
  projectId: string;
  ratePerSec: number;
  count: number;
  connections: number;
}

export interface ProducerOutput {
  ids: string[];
  committedAtMs: number[];
  maxLagMs: number;
  elapsedMs: number;
}

async function commitOne(client: PoolClient, input: ProducerInput, id: string): Promise<void> {
  await client.query('BEGIN');
  if (input.mode === 'notify') {
    await client.query(`SELECT pg_notify('bench_ping', $1)`, [id]);
  } else {
    await client.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [input.tenantId]);
    await client.query(
      `INSERT INTO outbox_events (id, event_id, tenant_id, project_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_data, occurred_at)
       VALUES ($1, $2, $3, $4, 'bench', $5, 1, 'bench.ping', '{}', now())`,
      [newId(), id, input.tenantId, input.projectId, newId()],
    );
  }
  await client.query('COMMIT');
}

async function produce(input: ProducerInput): Promise<ProducerOutput> {
  const pool = new Pool({ ...input.target, max: input.connections });
  const warm = await Promise.all(Array.from({ length: input.connections }, () => pool.connect()));
  warm.forEach((c) => c.release());
  const ids: string[] = new Array(input.count);
  const committedAtMs: number[] = new Array(input.count);
  const intervalMs = 1000 / input.ratePerSec;
  const pending: Promise<void>[] = [];
  let maxLagMs = 0;
  const start = nowMs();
  for (let sent = 0; sent < input.count;) {
    const now = nowMs();
    const due = Math.min(input.count, Math.floor((now - start) / intervalMs) + 1);
    for (; sent < due; sent++) {
      maxLagMs = Math.max(maxLagMs, now - (start + sent * intervalMs));
      const i = sent;
      ids[i] = newId();
      pending.push(
        pool.connect().then(async (client) => {
          try {
            await commitOne(client, input, ids[i]);
            committedAtMs[i] = nowMs();
          } finally {
            client.release();
          }
        }),
      );
    }
    await new Promise((done) => setTimeout(done, 1));
  }
  await Promise.all(pending);
  const elapsedMs = nowMs() - start;
  await pool.end();
  return { ids, committedAtMs, maxLagMs, elapsedMs };
}

if (parentPort) {
  produce(workerData as ProducerInput).then(
    (out) => parentPort!.postMessage(out),
    (error) => parentPort!.postMessage({ error: String(error?.stack ?? error) }),
  );
}
