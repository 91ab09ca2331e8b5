import { Client } from 'pg';
import { toClientConfig } from '#persistence/connection-options';
import { Tenant, registerTenant, startApiProcess } from './api-process';
import { BenchDb, inTenant } from './db';
import { planAsApp, scansIn } from './explain';
import { SeedSizes, Seeded, seedProject } from './scale-seed';
import { Row, fmt } from './report';
import { nowMs, summarize } from './stats';

export interface ReadFigure {
  label: string;
  requests: number;
  /** Through the API (HTTP, auth, RLS, TypeORM), one request at a time. */
  api: { p50Ms: number; p99Ms: number };
  /** The adapter's SQL with plain pg as crm_app in the same transaction shape (BEGIN, tenant setting, SELECT, COMMIT). */
  plainPg: { p50Ms: number; p99Ms: number };
  aimP99Ms?: number;
  /** The scans in EXPLAIN ANALYZE of that SQL as crm_app (with the statements inside contact_search). */
  scans: string[];
}

export interface ScaleResult {
  sizes: SeedSizes;
  seed: { seconds: number; contactsSeconds: number; messagesSeconds: number; messagesPerSec: number; settleSeconds: number };
  /** On disk after the seed: the database, and each big table with its indexes. */
  disk: { databaseBytes: number; tables: Record<string, number> };
  reads: ReadFigure[];
  /** `q` as the adapter ran it before contact_search: ILIKE under RLS (a walk of the whole tenant). */
  directIlikeUnderRls: { requests: number; p50Ms: number; p99Ms: number };
}

const envInt = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const REQUESTS = envInt('BENCH_SCALE_REQUESTS', 200);
// The columns the read model selects (contacts' CONTACT_COLUMNS).
const COLUMNS = `id, tenant_id, project_id, name, email, phone, external_id, source_channel, language, timezone, tags, custom_fields,
  profile_picture_url, first_touch, version, deleted_at, created_at, updated_at`;
const SEARCH = `SELECT ${COLUMNS} FROM contacts c WHERE project_id = $1 AND deleted_at IS NULL
  AND id IN (SELECT contact_search($1, $2, $3, $4, false, NULL, 51)) ORDER BY id DESC LIMIT 51`;

/**
 * Issue 9 section 2: one project with a million contacts (BENCH_CONTACTS) and ten million messages (BENCH_MESSAGES), then each read
 * through the API next to the same SQL over plain pg, as crm_app under RLS, in the same run.
 */
export async function scaleReads(db: BenchDb, step: (message: string) => void): Promise<ScaleResult> {
  const sizes: SeedSizes = {
    contacts: envInt('BENCH_CONTACTS', 1_000_000),
    chats: envInt('BENCH_CHATS', 10_000),
    messages: envInt('BENCH_MESSAGES', 10_000_000),
    timeline: envInt('BENCH_TIMELINE', 10_000),
  };
  const api = await startApiProcess(db);
  const owner = new Client(toClientConfig(db.owner));
  const app = new Client(toClientConfig(db.app));
  await owner.connect();
  await app.connect();
  try {
    const tenant = await registerTenant(api.baseUrl);
    for (const key of ['plan', 'city'])
      await call(api.baseUrl, tenant, 'POST', '/api/v1/contact-custom-fields', { key, label: key, type: 'text' });
    step(
      `   seeding ${sizes.contacts} contacts, ${sizes.chats} chats, ${sizes.messages} messages, ${20 * sizes.timeline} timeline entries`,
    );
    const t0 = nowMs();
    const seeded = await seedProject(owner, tenant, sizes);
    const seconds = (nowMs() - t0) / 1000;
    const disk = await diskSizes(owner);
    step(
      `   seeded in ${seconds.toFixed(0)} s (contacts and chats ${seeded.seconds.contacts.toFixed(0)} s, messages and timeline ${seeded.seconds.messages.toFixed(0)} s); database ${(disk.databaseBytes / 2 ** 30).toFixed(1)} GiB; vacuuming`,
    );
    // A live database read these rows long after autovacuum had set their hint bits and visibility map and the
    // checkpoint had written them: without this, the reads race the autovacuum of 20 million fresh rows.
    const settleStarted = nowMs();
    await owner.query('VACUUM (ANALYZE) contacts, chats, messages, contact_events');
    await owner.query('CHECKPOINT');
    const settleSeconds = (nowMs() - settleStarted) / 1000;
    step(`   vacuumed and checkpointed in ${settleSeconds.toFixed(0)} s; reading`);
    const fragments = await searchFragments(owner, tenant, seeded);
    const sql = (text: string, params: (i: number) => unknown[]) => ({
      run: (i: number) => timed(() => inTenant(app, tenant.tenantId, () => app.query(text, params(i)))),
      plan: async () => scansIn(await planAsApp(owner, tenant.tenantId, text, params(REQUESTS - 1))),
    });
    const http = (path: (i: number) => string) => (i: number) => timed(() => call(api.baseUrl, tenant, 'GET', path(i)));

    const pages = await keysetCursors(api.baseUrl, tenant, REQUESTS);
    const reads: ReadFigure[] = [];
    const measure = async (
      label: string,
      viaApi: (i: number) => Promise<number>,
      viaPg: { run: (i: number) => Promise<number>; plan: () => Promise<string[]> },
      aimP99Ms?: number,
    ) => {
      // warm the caches and the pools
      for (let i = 0; i < 10; i++) {
        await viaApi(i);
        await viaPg.run(i);
      }
      const apiMs: number[] = [];
      const pgMs: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        apiMs.push(await viaApi(i));
        pgMs.push(await viaPg.run(i));
      }
      const a = summarize(apiMs);
      const p = summarize(pgMs);
      const scans = await viaPg.plan();
      step(`   ${label}: ${scans.join(', ')}`);
      reads.push({
        label,
        requests: REQUESTS,
        api: { p50Ms: a.p50, p99Ms: a.p99 },
        plainPg: { p50Ms: p.p50, p99Ms: p.p99 },
        aimP99Ms,
        scans,
      });
    };
    await measure(
      'GET /contacts keyset pages (limit 50)',
      http((i) => `/api/v1/contacts?limit=50${pages[i] ? `&cursor=${pages[i].cursor}` : ''}`),
      sql(
        `SELECT ${COLUMNS} FROM contacts c WHERE project_id = $1 AND deleted_at IS NULL AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT 51`,
        (i) => [tenant.projectId, pages[i]?.id ?? null],
      ),
      10,
    );
    await measure(
      'GET /contacts?q= (name, email or phone fragment)',
      http((i) => `/api/v1/contacts?limit=50&q=${encodeURIComponent(fragments[i % fragments.length])}`),
      sql(SEARCH, (i) => [tenant.projectId, `%${fragments[i % fragments.length]}%`, null, null]),
      50,
    );
    const tags = ['lead', 'vip', 'customer', 'churned'];
    await measure(
      'GET /contacts?tag= (common to rare)',
      http((i) => `/api/v1/contacts?limit=50&tag=${tags[i % tags.length]}`),
      sql(SEARCH, (i) => [tenant.projectId, null, tags[i % tags.length], null]),
    );
    const plans = ['pro', 'enterprise', 'free', 'basic-trial'];
    await measure(
      'GET /contacts?customField=plan: (common to rare)',
      http((i) => `/api/v1/contacts?limit=50&customField=plan:${plans[i % plans.length]}`),
      sql(SEARCH, (i) => [tenant.projectId, null, null, JSON.stringify({ plan: plans[i % plans.length] })]),
    );
    await measure(
      `GET /chats/:id/messages of the busy chat (${fmt(seeded.busyChatMessages)} messages)`,
      http(() => `/api/v1/chats/${seeded.busyChatId}/messages?limit=50`),
      sql(`SELECT * FROM messages m WHERE project_id = $1 AND chat_id = $2 ORDER BY sent_at DESC, id DESC LIMIT 51`, () => [
        tenant.projectId,
        seeded.busyChatId,
      ]),
    );
    await measure(
      `GET /contacts/:id/timeline of the busy contact (${fmt(seeded.busyContactEntries)} entries)`,
      http(() => `/api/v1/contacts/${seeded.busyContactId}/timeline?limit=50`),
      sql(`SELECT * FROM contact_events t WHERE contact_id = $1 ORDER BY id ASC LIMIT 51`, () => [seeded.busyContactId]),
    );

    step('   q as a plain ILIKE under RLS (what contact_search replaces), 5 times');
    const direct: number[] = [];
    for (let i = 0; i < 5; i++)
      direct.push(
        await timed(() =>
          inTenant(app, tenant.tenantId, () =>
            app.query(
              `SELECT ${COLUMNS} FROM contacts c WHERE project_id = $1 AND deleted_at IS NULL
                 AND (coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '')) ILIKE $2 ORDER BY id DESC LIMIT 51`,
              [tenant.projectId, `%${fragments[i]}%`],
            ),
          ),
        ),
      );
    const d = summarize(direct);
    return {
      sizes,
      seed: {
        seconds,
        contactsSeconds: seeded.seconds.contacts,
        messagesSeconds: seeded.seconds.messages,
        messagesPerSec: sizes.messages / seeded.seconds.messages,
        settleSeconds,
      },
      disk,
      reads,
      directIlikeUnderRls: { requests: direct.length, p50Ms: d.p50, p99Ms: d.p99 },
    };
  } finally {
    await owner.end();
    await app.end();
    await api.stop();
  }
}

async function diskSizes(owner: Client): Promise<ScaleResult['disk']> {
  const { rows } = await owner.query(
    `SELECT pg_database_size(current_database())::bigint AS db, pg_total_relation_size('contacts')::bigint AS contacts,
            pg_total_relation_size('messages')::bigint AS messages, pg_total_relation_size('contact_events')::bigint AS contact_events`,
  );
  const { db, ...tables } = rows[0] as Record<string, string>;
  return { databaseBytes: Number(db), tables: Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, Number(v)])) };
}

/** Fragments users type: rare ones (an email's local part, a phone's last digits) and common ones (a surname, a domain). */
async function searchFragments(owner: Client, tenant: Tenant, seeded: Seeded): Promise<string[]> {
  const { rows } = await inTenant(owner, tenant.tenantId, () =>
    owner.query(`SELECT email, phone FROM contacts TABLESAMPLE SYSTEM (1) REPEATABLE (9) LIMIT 20`),
  );
  const rare = rows.flatMap((r: { email: string; phone: string }) => [r.email.split('@')[0], r.phone.slice(-7)]);
  return [...rare, 'silva', 'gmail', seeded.samples.name.split(' ')[0], 'zzqx'];
}

/** The cursors of successive pages from the newest, by following nextCursor (one request each). */
async function keysetCursors(baseUrl: string, tenant: Tenant, count: number): Promise<{ cursor: string; id: string }[]> {
  const pages: { cursor: string; id: string }[] = [];
  let cursor: string | null = null;
  while (pages.length < count) {
    const body = (await call(baseUrl, tenant, 'GET', `/api/v1/contacts?limit=50${cursor ? `&cursor=${cursor}` : ''}`)) as {
      nextCursor: string | null;
    };
    if (!body.nextCursor) break;
    cursor = body.nextCursor;
    pages.push({ cursor, id: Buffer.from(cursor, 'base64url').toString('utf8') });
  }
  return pages;
}

async function call(baseUrl: string, tenant: Tenant, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = nowMs();
  await fn();
  return nowMs() - t0;
}

const gib = (bytes: number) => `${fmt(bytes / 2 ** 30, 2)} GiB`;

/** Table lines: each read through the API against its plain-pg baseline, then the seed and the replaced ILIKE. */
export function scaleRows(r: ScaleResult): Row[] {
  return [
    {
      measurement: `seed ${fmt(r.sizes.contacts)} contacts + ${fmt(r.sizes.messages)} messages (and a timeline entry each)`,
      app: `${fmt(r.seed.seconds, 0)} s (contacts ${fmt(r.seed.contactsSeconds, 0)} s, messages ${fmt(r.seed.messagesSeconds, 0)} s: ${fmt(r.seed.messagesPerSec)}/s); then VACUUM and CHECKPOINT ${fmt(r.seed.settleSeconds, 0)} s`,
      baseline: `${gib(r.disk.databaseBytes)} on disk: ${Object.entries(r.disk.tables)
        .map(([table, bytes]) => `${table} ${gib(bytes)}`)
        .join(', ')}`,
      ratio: null,
      aim: 'minutes',
      met: r.seed.seconds < 600,
    },
    ...r.reads.map((f) => ({
      measurement: `${f.label}, ${f.requests} sequential; ${f.scans.join(', ')}`,
      app: `p50 ${fmt(f.api.p50Ms, 1)} ms, p99 ${fmt(f.api.p99Ms, 1)} ms`,
      baseline: `plain pg p50 ${fmt(f.plainPg.p50Ms, 1)} ms, p99 ${fmt(f.plainPg.p99Ms, 1)} ms`,
      ratio: f.api.p99Ms / f.plainPg.p99Ms,
      aim: f.aimP99Ms ? `p99 < ${f.aimP99Ms} ms` : 'report',
      met: f.aimP99Ms ? f.api.p99Ms < f.aimP99Ms : null,
    })),
    {
      measurement: 'q through contact_search vs plain ILIKE under RLS (plain pg)',
      app: `p99 ${fmt(r.reads[1]?.plainPg.p99Ms ?? NaN, 1)} ms`,
      baseline: `ILIKE p50 ${fmt(r.directIlikeUnderRls.p50Ms, 0)} ms, p99 ${fmt(r.directIlikeUnderRls.p99Ms, 0)} ms`,
      ratio: (r.reads[1]?.plainPg.p50Ms ?? NaN) / r.directIlikeUnderRls.p50Ms,
      aim: 'report',
      met: null,
    },
  ];
}
