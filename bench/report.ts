import { writeFileSync } from 'node:fs';
import type { LoadResult } from './contact-create';
import type { LatencyResult } from './outbox-latency';
import { RlsOverhead, rlsRows } from './rls-overhead';
import type { EngineResult } from './automation-engine';
import type { DrainResult } from './relay-throughput';
import type { BoardResult, Timing } from './pipeline-board';
import type { ScalingResult } from './relay-scaling';
import type { WebhookDeliveryResult } from './webhook-delivery';
import type { IngestResult } from './webhook-ingest';

export interface BenchResults {
  contactCreate: {
    api: LoadResult;
    plainPg: LoadResult;
    withoutAudit: { api: LoadResult; plainPg: LoadResult };
    /** As `npm start` runs it: API and relay in one process, logs at info. */
    npmStartDefaults?: LoadResult;
  };
  outboxLatency: { relay: LatencyResult; notify: LatencyResult };
  relayThroughput: {
    relay: DrainResult;
    plainSql: DrainResult;
    curve: DrainResult[];
    emptyClaimMs: { unvacuumed: number; vacuumed: number };
  };
  relayScaling?: ScalingResult;
  timelineDrain: { events: number; seconds: number };
  webhookIngest: IngestResult;
  rlsOverhead: RlsOverhead;
  automationEngine: EngineResult;
  pipelineBoard: BoardResult;
  webhookDelivery: WebhookDeliveryResult;
}

/** One line of the table: the application's figure, the same-run baseline, app / baseline, and the aim. */
export interface Row {
  measurement: string;
  app: string;
  baseline: string;
  ratio: number | null;
  aim: string;
  met: boolean | null;
}

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';
const load = (r: LoadResult, unit: string) =>
  `${fmt(r.reqPerSec)} ${unit} (p50 ${fmt(r.p50Ms, 1)} ms, p99 ${fmt(r.p99Ms, 1)} ms${r.failed ? `, ${fmt(r.failed)} FAILED` : ''})`;
const drained = (d: DrainResult) => `${fmt(d.eventsPerSec)} ev/s (${fmt(d.seconds, 1)} s)`;

export function rows(r: BenchResults): Row[] {
  const { api, plainPg } = r.contactCreate;
  const { relay: drain, curve, emptyClaimMs } = r.relayThroughput;
  return [
    {
      measurement: 'POST /contacts, 32 conns (req/s)',
      app: load(api, 'req/s'),
      baseline: `plain pg ${load(plainPg, 'tx/s')}`,
      ratio: api.reqPerSec / plainPg.reqPerSec,
      aim: 'ratio >= 0.50',
      met: api.failed === 0 && api.reqPerSec / plainPg.reqPerSec >= 0.5,
    },
    ...(r.contactCreate.npmStartDefaults
      ? [
          {
            measurement: 'POST /contacts as npm start runs (API+relay, info)',
            app: load(r.contactCreate.npmStartDefaults, 'req/s'),
            baseline: `plain pg ${load(plainPg, 'tx/s')}`,
            ratio: r.contactCreate.npmStartDefaults.reqPerSec / plainPg.reqPerSec,
            aim: 'ratio >= 0.60 (issue 9)',
            met: r.contactCreate.npmStartDefaults.reqPerSec / plainPg.reqPerSec >= 0.6,
          },
        ]
      : []),
    {
      measurement: 'WAHA webhook accepted (inbox commit), 32 conns',
      app: load(r.webhookIngest.accepted, 'req/s'),
      baseline: `POST /contacts ${load(api, 'req/s')}`,
      ratio: r.webhookIngest.accepted.reqPerSec / api.reqPerSec,
      aim: 'report',
      met: null,
    },
    {
      measurement: 'WAHA webhook to message row, end to end',
      app: `${fmt(r.webhookIngest.processed.perSec)} msg/s (${fmt(r.webhookIngest.processed.messages)} in ${fmt(r.webhookIngest.processed.seconds, 1)} s; inbox to row p50 ${fmt(r.webhookIngest.processed.p50Ms, 1)} ms, p99 ${fmt(r.webhookIngest.processed.p99Ms, 1)} ms)`,
      baseline: `accepted ${fmt(r.webhookIngest.accepted.reqPerSec)} req/s`,
      ratio: r.webhookIngest.processed.perSec / r.webhookIngest.accepted.reqPerSec,
      aim: 'report',
      met: null,
    },
    {
      measurement: 'audit trigger: POST /contacts with it',
      app: load(api, 'req/s'),
      baseline: `without it ${load(r.contactCreate.withoutAudit.api, 'req/s')}`,
      ratio: api.reqPerSec / r.contactCreate.withoutAudit.api.reqPerSec,
      aim: 'report',
      met: null,
    },
    {
      measurement: 'audit trigger: plain pg tx with it',
      app: load(plainPg, 'tx/s'),
      baseline: `without it ${load(r.contactCreate.withoutAudit.plainPg, 'tx/s')}`,
      ratio: plainPg.reqPerSec / r.contactCreate.withoutAudit.plainPg.reqPerSec,
      aim: 'report',
      met: null,
    },
    ...latencyRows(r.outboxLatency, r.relayThroughput),
    ...rlsRows(r.rlsOverhead),
    ...curve.map((c) => ({
      measurement: `relay drain ${fmt(c.events)}, batch ${c.batchSize} (ev/s)`,
      app: drained(c),
      baseline: `batch ${drain.batchSize}: ${fmt(drain.eventsPerSec)} ev/s`,
      ratio: c.eventsPerSec / drain.eventsPerSec,
      aim: '',
      met: null,
    })),
    {
      measurement: `empty claim after the ${fmt(drain.events)} drain (ms)`,
      app: `${fmt(emptyClaimMs.unvacuumed, 2)} ms before VACUUM`,
      baseline: `${fmt(emptyClaimMs.vacuumed, 2)} ms after VACUUM`,
      ratio: emptyClaimMs.unvacuumed / emptyClaimMs.vacuumed,
      aim: '',
      met: null,
    },
    {
      measurement: `outbound webhooks ${fmt(r.webhookDelivery.deliveries)}: event -> signed POST -> 200 (deliveries/s)`,
      app: `${fmt(r.webhookDelivery.perSec)} deliveries/s (${fmt(r.webhookDelivery.seconds, 1)} s${
        r.webhookDelivery.unverified ? `, ${fmt(r.webhookDelivery.unverified)} UNVERIFIED` : ''
      })`,
      baseline: `relay plain drain ${drained(drain)}`,
      ratio: r.webhookDelivery.perSec / drain.eventsPerSec,
      aim: 'report',
      met: r.webhookDelivery.unverified === 0 ? null : false,
    },
    {
      measurement: `timeline consumer drain ${fmt(r.timelineDrain.events)} (ev/s)`,
      app: `${fmt(r.timelineDrain.events / r.timelineDrain.seconds)} ev/s (${fmt(r.timelineDrain.seconds, 1)} s)`,
      baseline: '(real consumer: inserts contact_events)',
      ratio: null,
      aim: '',
      met: null,
    },
    {
      measurement: `automation engine: ${fmt(r.automationEngine.events)} contact.created through ${r.automationEngine.automations} automations (ev/s)`,
      app: `${fmt(r.automationEngine.eventsPerSec)} ev/s (${fmt(r.automationEngine.seconds, 1)} s; ${fmt(r.automationEngine.runs)} runs, ${fmt(r.automationEngine.drained)} events in all)`,
      baseline: `relay drain ${drained(r.relayThroughput.relay)}; no automations ${fmt(r.timelineDrain.events / r.timelineDrain.seconds)} ev/s`,
      ratio: r.automationEngine.eventsPerSec / r.relayThroughput.relay.eventsPerSec,
      aim: 'report',
      met: null,
    },
    ...boardRows(r.pipelineBoard),
  ];
}

const timing = (t: Timing) => `p50 ${fmt(t.p50Ms, 2)} ms, p99 ${fmt(t.p99Ms, 2)} ms`;

/** The pipeline board next to a plain indexed read, over HTTP and as bare SQL. */
/** Where the relay's commit-to-consumer milliseconds went, stage by stage (p50 / p99). */
export function stageRows(relay: LatencyResult): Row[] {
  if (!relay.stages) return [];
  const text = Object.entries(relay.stages)
    .map(([stage, { p50, p99 }]) => `${stage} ${fmt(p50, 2)}/${fmt(p99, 2)}`)
    .join(', ');
  return [{ measurement: '  by stage, p50/p99 ms', app: text, baseline: '', ratio: null, aim: '', met: null }];
}

/** Commit-to-consumer latency next to bare NOTIFY, and the backlog drain next to plain SQL (`BENCH_ONLY=latency`). */
export function latencyRows(
  { relay, notify }: BenchResults['outboxLatency'],
  { relay: drain, plainSql }: Pick<BenchResults['relayThroughput'], 'relay' | 'plainSql'>,
): Row[] {
  return [
    {
      measurement: `commit -> consumer @ ${fmt(relay.ratePerSec)} ev/s`,
      app: `p50 ${fmt(relay.p50Ms, 2)} ms, p99 ${fmt(relay.p99Ms, 2)} ms (${fmt(relay.eventsPerDelivery ?? NaN, 1)} ev/delivery)`,
      baseline: `NOTIFY -> LISTEN p50 ${fmt(notify.p50Ms, 2)} ms, p99 ${fmt(notify.p99Ms, 2)} ms`,
      ratio: relay.p99Ms / notify.p99Ms,
      aim: 'p99 < 5 ms',
      met: relay.missing === 0 && relay.p99Ms < 5,
    },
    ...stageRows(relay),
    {
      measurement: `relay drain ${fmt(drain.events)}, batch ${drain.batchSize} (ev/s)`,
      app: drained(drain),
      baseline: `plain SQL ${drained(plainSql)}`,
      ratio: drain.eventsPerSec / plainSql.eventsPerSec,
      aim: '>= 5,000 ev/s',
      met: drain.eventsPerSec >= 5000,
    },
  ];
}

export function boardRows(b: BoardResult): Row[] {
  const size = `${fmt(b.contacts)} contacts, ${b.statuses} statuses`;
  return [
    {
      measurement: `GET /pipelines/{id}/board (${size})`,
      app: timing(b.api),
      baseline: `GET /pipelines/{id} ${timing(b.apiBaseline)}`,
      ratio: b.api.p50Ms / b.apiBaseline.p50Ms,
      aim: 'p99 < 50 ms',
      met: b.api.p99Ms < 50,
    },
    {
      measurement: `board SQL, plain pg (${size})`,
      app: `${timing(b.sql)}; EXPLAIN ${fmt(b.plan.executionMs, 2)} ms: ${b.plan.nodes.join(', ')}`,
      baseline: `one-row index lookup ${timing(b.sqlBaseline)}`,
      ratio: b.sql.p50Ms / b.sqlBaseline.p50Ms,
      aim: 'index-only, no sort',
      met: !b.plan.nodes.some((n) => /Seq Scan on contact_pipelines|Sort|Heap/.test(n)),
    },
  ];
}

export function printTable(table: Row[]): void {
  const head = ['measurement', 'app', 'baseline (same run)', 'app/base', 'aim', 'met'];
  const cells = table.map((r) => [
    r.measurement,
    r.app,
    r.baseline,
    r.ratio === null ? '' : fmt(r.ratio, 2),
    r.aim,
    r.met === null ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  console.log([line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n'));
}

export function writeJson(file: string, data: unknown): void {
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}
