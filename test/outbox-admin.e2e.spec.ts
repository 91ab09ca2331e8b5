import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

describe('outbox admin', () => {
  let t: TestApp;
  let a: Tenant;
  let admin: Client;
  beforeAll(async () => {
    // No relay: the leased event below must stay as the test wrote it.
    t = await startTestApp({ relay: false });
    a = await registerTenant(t.http, 'outbox-admin');
    admin = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await t.close();
  });

  it("shows a processing event's next attempt as the end of its lease, a pending one's as its retry time", async () => {
    const insert = async (status: string, nextAttempt: string, lockedUntil: string | null) =>
      (
        await admin.query(
          `INSERT INTO outbox_events (id, event_id, tenant_id, project_id, aggregate_type, aggregate_id, aggregate_version, event_type,
                                      event_data, occurred_at, created_at, status, next_attempt_at, locked_until)
           VALUES (gen_random_uuid(), gen_random_uuid(), $1, $2, 'probe', gen_random_uuid(), 1, 'probe.happened', '{}', now(),
                   now() - interval '10 minutes', $3, $4::timestamptz, $5::timestamptz)
           RETURNING id, next_attempt_at, locked_until`,
          [a.tenantId, a.projectId, status, nextAttempt, lockedUntil],
        )
      ).rows[0] as { id: string; next_attempt_at: Date; locked_until: Date | null };
    const leaseEnd = new Date(Date.now() + 5 * 60_000).toISOString();
    const claimed = new Date(Date.now() - 10 * 60_000).toISOString();
    const retryAt = new Date(Date.now() + 30 * 60_000).toISOString();
    const processing = await insert('processing', claimed, leaseEnd);
    const pending = await insert('pending', retryAt, null);

    const listed = await t.http.get('/api/v1/outbox').set(a.auth).query({ limit: 200 }).expect(200);
    const byId = new Map(listed.body.data.map((e: { id: string; nextAttemptAt: string }) => [e.id, e]));
    expect(byId.get(processing.id)).toMatchObject({ status: 'processing', nextAttemptAt: leaseEnd });
    expect(byId.get(pending.id)).toMatchObject({ status: 'pending', nextAttemptAt: retryAt });
    const onlyProcessing = await t.http.get('/api/v1/outbox').set(a.auth).query({ status: 'processing' }).expect(200);
    expect(onlyProcessing.body.data).toEqual([expect.objectContaining({ id: processing.id, nextAttemptAt: leaseEnd })]);

    // Another tenant sees neither.
    const b = await registerTenant(t.http, 'outbox-admin-other');
    const other = await t.http.get('/api/v1/outbox').set(b.auth).query({ status: 'processing' }).expect(200);
    expect(other.body.data).toEqual([]);
    await admin.query(`DELETE FROM outbox_events WHERE id = ANY($1::uuid[])`, [[processing.id, pending.id]]);
  });
});
