import { Client } from 'pg';
import { toClientConfig } from '#persistence/connection-options';
import { Tenant } from './api-process';
import { ContactTables, LoadResult, createContactsWithPlainPg } from './contact-create';
import { BenchDb } from './db';
import { Row, fmt } from './report';

export interface RlsOverhead {
  /** The contact-create transaction into the forced-RLS tables. */
  withRls: LoadResult;
  /** The same into copies without RLS: same columns, indexes, foreign key, triggers and grants. */
  withoutRls: LoadResult;
}

const COPIES: ContactTables = { contacts: 'bench_contacts_no_rls', outbox: 'bench_outbox_no_rls', eventStore: 'bench_event_store_no_rls' };
const ROUNDS = 3;

/**
 * The price of the policies on the write path: the plain-pg contact creation (32 connections) alternately into the
 * real tables and into copies without RLS, `ROUNDS` times each so both see the same machine, then summed.
 */
export async function rlsOverhead(db: BenchDb, tenant: Tenant, seconds: number): Promise<RlsOverhead> {
  await copyWithoutRls(db);
  const runs: { withRls: LoadResult[]; withoutRls: LoadResult[] } = { withRls: [], withoutRls: [] };
  await createContactsWithPlainPg(db, tenant, 2, 'rls-warm');
  await createContactsWithPlainPg(db, tenant, 2, 'norls-warm', COPIES);
  for (let round = 0; round < ROUNDS; round++) {
    runs.withRls.push(await createContactsWithPlainPg(db, tenant, seconds, `rls-${round}`));
    runs.withoutRls.push(await createContactsWithPlainPg(db, tenant, seconds, `norls-${round}`, COPIES));
  }
  return { withRls: combine(runs.withRls), withoutRls: combine(runs.withoutRls) };
}

export function rlsRows(r: RlsOverhead): Row[] {
  const load = (x: LoadResult) => `${fmt(x.reqPerSec)} tx/s (p50 ${fmt(x.p50Ms, 1)} ms, p99 ${fmt(x.p99Ms, 1)} ms)`;
  const cost = r.withoutRls.reqPerSec / r.withRls.reqPerSec;
  return [
    {
      measurement: 'RLS overhead: plain pg contact create, forced RLS vs copies without',
      app: `with RLS ${load(r.withRls)}`,
      baseline: `without ${load(r.withoutRls)}`,
      ratio: cost,
      aim: 'time ratio <= 1.10',
      met: r.withRls.failed === 0 && cost <= 1.1,
    },
  ];
}

/** Means of the rounds (equal lengths): throughput and the latency percentiles. */
function combine(results: LoadResult[]): LoadResult {
  const mean = (f: (r: LoadResult) => number) => results.reduce((sum, r) => sum + f(r), 0) / results.length;
  return {
    reqPerSec: mean((r) => r.reqPerSec),
    p50Ms: mean((r) => r.p50Ms),
    p99Ms: mean((r) => r.p99Ms),
    ok: results.reduce((sum, r) => sum + r.ok, 0),
    failed: results.reduce((sum, r) => sum + r.failed, 0),
  };
}

/** As the owner: each table copied with its indexes, defaults and checks, then its foreign keys and triggers. */
async function copyWithoutRls(db: BenchDb): Promise<void> {
  const owner = new Client(toClientConfig(db.owner));
  await owner.connect();
  try {
    for (const [table, copy] of [
      ['contacts', COPIES.contacts],
      ['outbox_events', COPIES.outbox],
      ['contact_event_store', COPIES.eventStore],
    ]) {
      await owner.query(`CREATE TABLE ${copy} (LIKE ${table} INCLUDING ALL)`);
      const { rows } = await owner.query<{ sql: string }>(
        `SELECT format('ALTER TABLE %s ADD %s', $2::text, pg_get_constraintdef(oid)) AS sql FROM pg_constraint
          WHERE conrelid = $1::regclass AND contype = 'f'
         UNION ALL
         SELECT replace(pg_get_triggerdef(oid), ' ON public.' || $1 || ' ', ' ON public.' || $2 || ' ') FROM pg_trigger
          WHERE tgrelid = $1::regclass AND NOT tgisinternal`,
        [table, copy],
      );
      for (const { sql } of rows) await owner.query(sql);
      await owner.query(`GRANT SELECT, INSERT ON ${copy} TO crm_app`);
    }
  } finally {
    await owner.end();
  }
}
