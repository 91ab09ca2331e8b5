import { Client } from 'pg';
import { toClientConfig } from '#persistence/connection-options';
import { ApiProcess, Tenant } from './api-process';
import { setAuditTriggers } from '#migrations/sql';
import { BenchDb, inTenant } from './db';
import { nowMs, summarize } from './stats';

export interface Timing {
  p50Ms: number;
  p99Ms: number;
}

export interface BoardResult {
  contacts: number;
  statuses: number;
  perStatus: number;
  /** GET /pipelines/{id}/board over HTTP. */
  api: Timing;
  /** GET /pipelines/{id} over HTTP: the same round trip for a plain indexed read (the pipeline and its statuses). */
  apiBaseline: Timing;
  /** The board's one statement on a plain pg connection of the application role. */
  sql: Timing;
  /** A primary-key-style lookup (one contact's place) on the same connection. */
  sqlBaseline: Timing;
  /** EXPLAIN ANALYZE of the board statement: execution time and the scan nodes it used. */
  plan: { executionMs: number; nodes: string[] };
}

const CONTACTS = 100_000;
/** How the contacts spread over the statuses: a realistic funnel, the first column the largest. */
const SHARES = [0.4, 0.25, 0.2, 0.1, 0.05];
const PER_STATUS = 20;
const WARMUP = 20;
const SAMPLES = 200;

/** The statement TypeormPipelineReadModel.board runs. */
const BOARD_SQL = `SELECT s.id AS status_id,
        (SELECT count(*)::int FROM contact_pipelines c
          WHERE c.tenant_id = s.tenant_id AND c.pipeline_id = s.pipeline_id AND c.status_id = s.id AND NOT c.contact_deleted) AS contact_count,
        (SELECT coalesce(json_agg(json_build_object('id', e.entry_id, 'contact_id', e.contact_id, 'entered_at', e.entered_at)
                                  ORDER BY e.entry_id), '[]')
           FROM (SELECT c.entry_id, c.contact_id, c.entered_at FROM contact_pipelines c
                  WHERE c.tenant_id = s.tenant_id AND c.pipeline_id = s.pipeline_id AND c.status_id = s.id AND NOT c.contact_deleted
                  ORDER BY c.entry_id LIMIT $2) e) AS entries
   FROM pipeline_statuses s
  WHERE s.pipeline_id = $1 AND s.deleted_at IS NULL`;

/**
 * A pipeline of 100,000 contacts (placed in bulk, as 100,000 moves would leave them, then vacuumed and analysed as
 * autovacuum would), its board read over HTTP and as bare SQL, each next to a plain indexed read.
 */
export async function boardBench(db: BenchDb, api: ApiProcess, tenant: Tenant): Promise<BoardResult> {
  const headers = { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' };
  const created = await fetch(`${api.baseUrl}/api/v1/pipelines`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: 'Bench board',
      statuses: SHARES.map((_, i) => ({ name: `Status ${i}`, type: i === 0 ? 'open' : i < 3 ? 'active' : 'closed' })),
    }),
  });
  if (created.status !== 201) throw new Error(`create pipeline: ${created.status} ${await created.text()}`);
  const pipeline = (await created.json()) as { id: string; statuses: { id: string }[] };
  const statusIds = pipeline.statuses.map((s) => s.id);
  await placeContacts(db, tenant, pipeline.id, statusIds);

  const app = new Client(toClientConfig(db.app));
  await app.connect();
  try {
    const [someContact] = await inTenant(app, tenant.tenantId, async () =>
      (await app.query(`SELECT contact_id FROM contact_pipelines WHERE pipeline_id = $1 LIMIT 1`, [pipeline.id])).rows.map(
        (r) => r.contact_id,
      ),
    );
    const sql = (text: string, params: unknown[]) => () => inTenant(app, tenant.tenantId, () => app.query(text, params));
    const http = (path: string) => async () => {
      const res = await fetch(`${api.baseUrl}${path}`, { headers });
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      await res.arrayBuffer();
    };
    const board = await time(http(`/api/v1/pipelines/${pipeline.id}/board?limit=${PER_STATUS}`));
    const apiBaseline = await time(http(`/api/v1/pipelines/${pipeline.id}`));
    const boardSql = await time(sql(BOARD_SQL, [pipeline.id, PER_STATUS + 1]));
    const sqlBaseline = await time(
      sql(`SELECT status_id, entered_at FROM contact_pipelines WHERE pipeline_id = $1 AND contact_id = $2`, [pipeline.id, someContact]),
    );
    const plan = await inTenant(app, tenant.tenantId, async () => {
      const { rows } = await app.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${BOARD_SQL}`, [pipeline.id, PER_STATUS + 1]);
      return planSummary(rows[0]['QUERY PLAN'][0]);
    });
    return {
      contacts: CONTACTS,
      statuses: statusIds.length,
      perStatus: PER_STATUS,
      api: board,
      apiBaseline,
      sql: boardSql,
      sqlBaseline,
      plan,
    };
  } finally {
    await app.end();
  }
}

/** 100,000 places spread over the statuses, each with its open history entry; the owner skips the audit trigger for the load. */
async function placeContacts(db: BenchDb, tenant: Tenant, pipelineId: string, statusIds: string[]): Promise<void> {
  const owner = new Client(toClientConfig(db.owner));
  await owner.connect();
  try {
    await owner.query(setAuditTriggers('contact_pipelines', false));
    const bounds = SHARES.map((_, i) => Math.round(CONTACTS * SHARES.slice(0, i + 1).reduce((a, b) => a + b, 0)));
    await inTenant(owner, tenant.tenantId, async () => {
      await owner.query(
        `WITH placed AS (
           SELECT gen_random_uuid() AS id, gen_random_uuid() AS contact_id, gen_random_uuid() AS entry_id,
                  ($4::uuid[])[(SELECT count(*) FROM unnest($5::int[]) b WHERE b < i) + 1] AS status_id,
                  now() - make_interval(secs => i) AS entered_at
             FROM generate_series(1, $3::int) AS i),
         places AS (
           INSERT INTO contact_pipelines (id, tenant_id, project_id, pipeline_id, contact_id, status_id, entry_id, entered_at)
           SELECT id, $1, $2, $6, contact_id, status_id, entry_id, entered_at FROM placed)
         INSERT INTO contact_pipeline_statuses (id, tenant_id, project_id, pipeline_id, contact_id, status_id, entered_at)
         SELECT entry_id, $1, $2, $6, contact_id, status_id, entered_at FROM placed`,
        [tenant.tenantId, tenant.projectId, CONTACTS, statusIds, bounds, pipelineId],
      );
    });
    await owner.query(setAuditTriggers('contact_pipelines', true));
    await owner.query(`VACUUM (ANALYZE) contact_pipelines, contact_pipeline_statuses, pipeline_statuses`);
  } finally {
    await owner.end();
  }
}

async function time(fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = nowMs();
    await fn();
    samples.push(nowMs() - t0);
  }
  const { p50, p99 } = summarize(samples);
  return { p50Ms: p50, p99Ms: p99 };
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function planSummary(explained: { Plan: PlanNode; 'Execution Time': number }): { executionMs: number; nodes: string[] } {
  const nodes: string[] = [];
  const walk = (node: PlanNode) => {
    if (/Scan|Sort/.test(node['Node Type']))
      nodes.push(
        `${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : node['Relation Name'] ? ` on ${node['Relation Name']}` : ''}`,
      );
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(explained.Plan);
  return { executionMs: explained['Execution Time'], nodes: [...new Set(nodes)] };
}
