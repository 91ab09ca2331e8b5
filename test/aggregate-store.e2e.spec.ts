import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { TransactionRunner } from '#persistence/transaction-runner';
import { CONTACT_REPOSITORY, ContactRepository } from '../src/contexts/contacts/domain/contacts.repositories';
import { registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

/**
 * AggregateStore.save writes the row, its outbox events and its companion rows (a contact's event stream) in one
 * statement. A compare-and-swap that misses writes none of them, even when the caller catches the conflict and
 * commits the rest of its transaction.
 */
describe('AggregateStore: one statement per save', () => {
  let t: TestApp;
  let a: Tenant;
  let admin: Client;

  beforeAll(async () => {
    t = await startTestApp({ relay: false });
    a = await registerTenant(t.http, 'store');
    admin = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await t.close();
  });

  const rowsOf = async (id: string) => ({
    stream: (await admin.query(`SELECT sequence_number FROM contact_event_store WHERE aggregate_id = $1 ORDER BY 1`, [id])).rows.map(
      (r) => r.sequence_number,
    ),
    outbox: (await admin.query(`SELECT aggregate_version FROM outbox_events WHERE aggregate_id = $1 ORDER BY 1`, [id])).rows.map(
      (r) => r.aggregate_version,
    ),
  });

  it('writes a new contact with its stream entry and its event', async () => {
    const { body } = await t.http.post('/api/v1/contacts').set(a.auth).send({ name: 'Ada' }).expect(201);
    expect(await rowsOf(body.id)).toEqual({ stream: [1], outbox: [1] });
  });

  it('writes nothing of a stale save, even in a transaction that goes on and commits', async () => {
    const { body } = await t.http.post('/api/v1/contacts').set(a.auth).send({ name: 'Grace' }).expect(201);
    const contacts = t.app.get<ContactRepository>(CONTACT_REPOSITORY);
    const conflict = await t.app.get(TransactionRunner).runAsTenant(a.tenantId, async () => {
      const first = (await contacts.findById(a.projectId, body.id))!;
      const second = (await contacts.findById(a.projectId, body.id))!;
      first.update({ name: 'Grace H.' });
      await contacts.save(first);
      second.update({ name: 'Grace Hopper' });
      return contacts.save(second).then(
        () => undefined,
        (error: Error) => error,
      );
    });
    expect(conflict).toMatchObject({ code: 'version_conflict' });
    expect(await rowsOf(body.id)).toEqual({ stream: [1, 2], outbox: [1, 2] });
    const current = await t.http.get(`/api/v1/contacts/${body.id}`).set(a.auth).expect(200);
    expect(current.body).toMatchObject({ name: 'Grace H.', version: 2 });
  });
});
