import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Tenant, registerTenant, startApiProcess } from './api-process';
import { automationEngineDrain } from './automation-engine';
import { LoadResult, createContactsOverHttp, createContactsWithPlainPg } from './contact-create';
import { copyWithPlainPg, importOverHttp } from './contact-import';
import { BenchDb, appPool, prepareBenchDatabase, setContactsAudit, unfinishedEvents, vacuumOutbox } from './db';
import { notifyLatency, relayLatency } from './outbox-latency';
import { BoardResult, boardBench } from './pipeline-board';
import { drainWithRelay, emptyClaimMs, plainSqlDrain, relayDrain } from './relay-throughput';
import { RelayHost, startRelayHost } from './relay-host';
import { relayScaling, scalingRows } from './relay-scaling';
import { webhookDeliveries } from './webhook-delivery';
import { IngestResult, createChannel, ingestWebhooks } from './webhook-ingest';
import { BenchResults, Row, boardRows, fmt, latencyRows, printTable, rows, writeJson } from './report';
import { compareQueues, queueRows } from './queues';
import { rlsOverhead, rlsRows } from './rls-overhead';
import { scaleReads, scaleRows } from './scale-reads';

const WARMUP_SECONDS = 3;
const LOAD_SECONDS = 10;
const RLS_SECONDS = 5;
const LATENCY = { ratePerSec: 1000, seconds: 10, warmupSeconds: 1 };
const BACKLOG = 100_000;
const WEBHOOK_DELIVERIES = 10_000;
/** Smaller batches drain slower: each gets a backlog that takes a few seconds. */
const CURVE = [
  { batchSize: 1, events: 2_000 },
  { batchSize: 10, events: 10_000 },
  { batchSize: 100, events: 50_000 },
];
/** Relay processes draining one backlog together, and its size. */
const SCALING = { relays: [1, 2, 4], events: 40_000 };
/** The automation engine's scenario: enabled automations in the project, contact.created events drained through them. */
const ENGINE = { automations: 100, contacts: 5_000 };
const RESULTS_FILE = join(__dirname, '..', '..', 'bench-results.json');

const step = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = loadavg();
  step(process.env.DATABASE_URL ? 'fresh database on the DATABASE_URL server' : 'throw-away embedded PostgreSQL (durable settings)');
  const db = await prepareBenchDatabase();
  const { server_version, fsync, synchronous_commit } = db.settings;
  step(
    `PostgreSQL ${server_version}, fsync=${fsync}, synchronous_commit=${synchronous_commit}; ${cpus().length} CPUs, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
  );
  try {
    // BENCH_ONLY=import: the bulk import alone, against a plain COPY of the same rows.
    if (process.env.BENCH_ONLY === 'import') {
      const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 200_000);
      step(`bulk import: a ${fmt(rows)}-row CSV through POST /contacts/import (API process), then a plain COPY of the same rows`);
      const api = await startApiProcess(db);
      try {
        const tenant = await registerTenant(api.baseUrl);
        const imported = await importOverHttp(api, tenant, rows, 'http-');
        step(`   import: ${fmt(imported.rowsPerSec)} rows/s (${imported.seconds.toFixed(1)} s)`);
        const copied = await copyWithPlainPg(db, tenant, rows, 'copy-', '212');
        // What the audit triggers of contacts cost the baseline.
        await setContactsAudit(db, false);
        const withoutAudit = await copyWithPlainPg(db, tenant, rows, 'copy-noaudit-', '646');
        await setContactsAudit(db, true);
        const ratio = imported.rowsPerSec / copied.rowsPerSec;
        console.log(JSON.stringify({ contactImport: { api: imported, plainCopy: copied, plainCopyWithoutAudit: withoutAudit, ratio } }));
      } finally {
        await api.stop();
      }
      return;
    }
    // BENCH_ONLY=scale: the million-contact reads alone (minutes of seeding: not part of the full run).
    if (process.env.BENCH_ONLY === 'scale') {
      step('a million contacts: seed one project, then each read through the API and as plain pg');
      const scale = await scaleReads(db, step);
      printTable(scaleRows(scale));
      writeJson(join(__dirname, '..', '..', 'bench-scale-results.json'), { startedAt, environment: db.settings, ...scale });
      return;
    }
    // BENCH_ONLY=relay-scaling: only the relay processes draining one backlog together (a tenant from the API first).
    if (process.env.BENCH_ONLY === 'relay-scaling') {
      const api = await startApiProcess(db);
      const tenant = await registerTenant(api.baseUrl).finally(() => api.stop());
      const scaling = await relayScaling(db, tenant, SCALING.events, SCALING.relays);
      printTable(scalingRows(scaling));
      console.log(JSON.stringify(scaling));
      return;
    }
    // BENCH_ONLY=automation-engine: the engine's figure next to the relay's plain drain, alone (a minute).
    if (process.env.BENCH_ONLY === 'automation-engine') {
      const api = await startApiProcess(db);
      const tenant = await registerTenant(api.baseUrl).finally(() => api.stop());
      const relay = await relayDrain(db, tenant, ENGINE.contacts * 4);
      const engine = await automationEngineDrain(db, tenant, ENGINE.automations, ENGINE.contacts);
      console.log(JSON.stringify({ relay, engine, ratio: engine.eventsPerSec / relay.eventsPerSec }));
      return;
    }
    // BENCH_ONLY=webhook-ingest: WAHA deliveries accepted and turned into messages (relay running), alone.
    if (process.env.BENCH_ONLY === 'webhook-ingest') {
      const api = await startApiProcess(db);
      const pool = appPool(db, 2);
      const host = await startRelayHost(db);
      await host.relay.start();
      try {
        const tenant = await registerTenant(api.baseUrl);
        const ingest = await ingestWebhooks(api, await createChannel(api, tenant), tenant, pool, LOAD_SECONDS);
        console.log(JSON.stringify({ webhookIngest: ingest }));
      } finally {
        await api.stop();
        await host.close();
        await pool.end();
      }
      return;
    }
    // BENCH_ONLY=board: the pipeline board of 100,000 contacts alone.
    if (process.env.BENCH_ONLY === 'board') {
      step(BOARD_STEP);
      const board = await runBoard(db);
      printTable(boardRows(board));
      console.log(JSON.stringify(board));
      return;
    }
    // BENCH_ONLY=webhooks: the outbound webhook figure next to the relay's plain drain, nothing else.
    if (process.env.BENCH_ONLY === 'webhooks') {
      const api = await startApiProcess(db);
      const tenant = await registerTenant(api.baseUrl).finally(() => api.stop());
      const drain = await relayDrain(db, tenant, BACKLOG);
      const webhookDelivery = await webhookDeliveries(db, tenant, WEBHOOK_DELIVERIES);
      console.log(JSON.stringify({ relayDrain: drain, webhookDelivery }));
      return;
    }
    step(
      `1. contact creation at 32 connections, ${WARMUP_SECONDS} s warm-up + ${LOAD_SECONDS} s each: plain pg, then the API (child process)`,
    );
    const api = await startApiProcess(db);
    let tenant: Tenant;
    let contactCreate: BenchResults['contactCreate'];
    try {
      tenant = await registerTenant(api.baseUrl);
      // BENCH_ONLY=rls: the price of the policies on the write path alone.
      if (process.env.BENCH_ONLY === 'rls') {
        printTable(rlsRows(await rlsOverhead(db, tenant, RLS_SECONDS)));
        return;
      }
      // BENCH_ONLY=latency: commit-to-consumer latency next to bare NOTIFY, and the backlog drain next to plain SQL.
      if (process.env.BENCH_ONLY === 'latency') {
        printTable(await latencyAndDrain(db, tenant));
        return;
      }
      // BENCH_ONLY=queues: our outbox next to graphile-worker and pg-boss on the same server.
      if (process.env.BENCH_ONLY === 'queues') {
        printTable(queueRows(await compareQueues(db, tenant)));
        return;
      }
      await createContactsWithPlainPg(db, tenant, WARMUP_SECONDS, 'pg-warm');
      const plainPg = await createContactsWithPlainPg(db, tenant, LOAD_SECONDS, 'pg');
      await createContactsOverHttp(api, tenant, WARMUP_SECONDS, 'api-warm');
      const apiResult = await createContactsOverHttp(api, tenant, LOAD_SECONDS, 'api');
      // The audit trail's price: the same two runs with the contacts audit trigger off.
      step('   the same without the audit trigger on contacts (plain pg, then the API)');
      await setContactsAudit(db, false);
      const withoutAudit = {
        plainPg: await createContactsWithPlainPg(db, tenant, LOAD_SECONDS, 'pg-noaudit'),
        api: await createContactsOverHttp(api, tenant, LOAD_SECONDS, 'api-noaudit'),
      };
      await setContactsAudit(db, true);
      contactCreate = { api: apiResult, plainPg, withoutAudit };
    } finally {
      await api.stop();
    }
    // BENCH_ONLY=contact-create: the request-path figures alone: plain pg, the API alone, and `npm start`'s defaults.
    if (process.env.BENCH_ONLY === 'contact-create') {
      contactCreate.npmStartDefaults = await createContactsAsNpmStartRunsIt(db, tenant);
      console.log(JSON.stringify(contactCreate));
      return;
    }

    step(`   RLS overhead: plain pg contact creation, forced RLS vs copies without, ${RLS_SECONDS} s x 3 each`);
    const rls = await rlsOverhead(db, tenant, RLS_SECONDS);

    step('   draining the contact.created backlog through the relay and the timeline consumer');
    const pool = appPool(db, 2);
    const host = await startRelayHost(db);
    const timelineDrain = {
      events: await unfinishedEvents(pool, tenant.tenantId),
      seconds: await drainWithRelay(host.relay, pool, tenant),
    };

    // What a user runs: `npm start`'s defaults, the API and its relay in one process, request logs at info.
    step('   contact creation again, as `npm start` runs it (API and relay in one process, LOG_LEVEL=info)');
    contactCreate.npmStartDefaults = await createContactsAsNpmStartRunsIt(db, tenant);
    await drainWithRelay(host.relay, pool, tenant);

    step('   WAHA webhook deliveries at 32 connections through the API, while the relay turns them into messages');
    const ingestApi = await startApiProcess(db);
    let webhookIngest: IngestResult;
    try {
      webhookIngest = await ingestWebhooks(ingestApi, await createChannel(ingestApi, tenant), tenant, pool, LOAD_SECONDS);
    } finally {
      await ingestApi.stop();
    }
    await drainWithRelay(host.relay, pool, tenant);
    await pool.end();

    step(LATENCY_STEP);
    const outboxLatency = await measureLatency(db, tenant, host);

    step(`3. relay throughput: ${fmt(BACKLOG)}-event backlog at the default batch size, the plain-SQL drain, then the batch curve`);
    const drain = await relayDrain(db, tenant, BACKLOG);
    const unvacuumed = await emptyClaimMs(db, drain.batchSize);
    await vacuumOutbox(db);
    const vacuumed = await emptyClaimMs(db, drain.batchSize);
    const plainSql = await plainSqlDrain(db, tenant, BACKLOG, drain.batchSize);
    const curve = [];
    for (const { batchSize, events } of CURVE) curve.push(await relayDrain(db, tenant, events, batchSize));

    step(`4. relay scale-out: ${SCALING.relays.join(', ')} relay processes draining a ${fmt(SCALING.events)}-event backlog together`);
    const scaling = await relayScaling(db, tenant, SCALING.events, SCALING.relays);

    step(
      `4b. automation engine: ${ENGINE.automations} enabled automations, ${fmt(ENGINE.contacts)} contact.created events drained through them`,
    );
    const automationEngine = await automationEngineDrain(db, tenant, ENGINE.automations, ENGINE.contacts);
    step(`5. ${BOARD_STEP}`);
    const pipelineBoard = await runBoard(db);

    step(`6. outbound webhooks: ${fmt(WEBHOOK_DELIVERIES)} events fanned out to a subscription and sent, signed, to a local receiver`);
    const webhookDelivery = await webhookDeliveries(db, tenant, WEBHOOK_DELIVERIES);

    const results: BenchResults = {
      contactCreate,
      outboxLatency,
      relayThroughput: { relay: drain, plainSql, curve, emptyClaimMs: { unvacuumed, vacuumed } },
      relayScaling: scaling,
      timelineDrain,
      webhookIngest,
      rlsOverhead: rls,
      automationEngine,
      pipelineBoard,
      webhookDelivery,
    };
    const table = [...rows(results), ...scalingRows(scaling)];
    console.log();
    printTable(table);
    writeJson(RESULTS_FILE, {
      startedAt,
      seconds: (Date.now() - startedAt.getTime()) / 1000,
      environment: {
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadavg(),
        database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded',
        postgres: db.settings,
      },
      settings: {
        warmupSeconds: WARMUP_SECONDS,
        loadSeconds: LOAD_SECONDS,
        connections: 32,
        latency: LATENCY,
        backlog: BACKLOG,
        engine: ENGINE,
        webhookDeliveries: WEBHOOK_DELIVERIES,
      },
      ...results,
      table,
    });
    step(`results written to ${RESULTS_FILE}`);
  } finally {
    await db.stop();
  }
}

const LATENCY_STEP = `2. outbox latency at ${LATENCY.ratePerSec} ev/s, ${LATENCY.warmupSeconds} s warm-up + ${LATENCY.seconds} s: through the relay, then bare NOTIFY`;

/** Through a started relay (closed afterwards), then bare NOTIFY → LISTEN as the floor. */
async function measureLatency(db: BenchDb, tenant: Tenant, host: RelayHost): Promise<BenchResults['outboxLatency']> {
  await vacuumOutbox(db);
  const relay = await relayLatency(db, tenant, host, LATENCY);
  await host.close();
  return { relay, notify: await notifyLatency(db, tenant, LATENCY) };
}

/** BENCH_ONLY=latency: the latency figure and the default-batch drain with its plain-SQL baseline, in one run. */
async function latencyAndDrain(db: BenchDb, tenant: Tenant): Promise<Row[]> {
  step(LATENCY_STEP);
  const host = await startRelayHost(db);
  await host.relay.start();
  const outboxLatency = await measureLatency(db, tenant, host);
  step(`3. relay throughput: ${fmt(BACKLOG)}-event backlog at the default batch size, then the plain-SQL drain`);
  const drain = await relayDrain(db, tenant, BACKLOG);
  const plainSql = await plainSqlDrain(db, tenant, BACKLOG, drain.batchSize);
  return latencyRows(outboxLatency, { relay: drain, plainSql });
}

const BOARD_STEP = 'pipeline board: 100,000 contacts over 5 statuses, 20 per status, 200 sequential reads after 20 warm-up';

/** The board next to its plain indexed baselines, against an API process of its own (a fresh tenant). */
async function runBoard(db: BenchDb): Promise<BoardResult> {
  const api = await startApiProcess(db);
  try {
    return await boardBench(db, api, await registerTenant(api.baseUrl, 'board'));
  } finally {
    await api.stop();
  }
}

/**
 * Contact creation against `npm start`'s defaults: the API and its relay in one process, request logs at info, the
 * default pool size. Only the rate limit is lifted (its default would answer most of the load with 429).
 */
async function createContactsAsNpmStartRunsIt(db: BenchDb, tenant: Tenant): Promise<LoadResult> {
  const defaults = await startApiProcess(db, { ROLE: 'all', LOG_LEVEL: 'info', DB_POOL_SIZE: '' });
  try {
    await createContactsOverHttp(defaults, tenant, WARMUP_SECONDS, 'defaults-warm');
    return await createContactsOverHttp(defaults, tenant, LOAD_SECONDS, 'defaults');
  } finally {
    await defaults.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
