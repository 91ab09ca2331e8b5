import { Tenant, eventually, registerTenant } from '../support/test-app';
import { Json, contactsSuite, expectProblem } from './contacts-helpers';
import { csvRows, declaredUpload, listening, streamUpload } from './import-helpers';

/** POST /contacts/import: CSV and NDJSON, upserts by externalId, email or phone, rejected rows, limits, cancel. */
describe('contacts: bulk import', () => {
  const { suite, create, defineField, asTenant } = contactsSuite({ env: { CONTACT_IMPORT_MAX_BYTES: '300000' } });
  let a: Tenant;
  let base: string;
  beforeAll(async () => {
    a = await registerTenant(suite.http, 'import');
    await defineField(a, 'plan', 'text');
    await defineField(a, 'seats', 'number');
    await defineField(a, 'trial', 'boolean');
    base = await listening(suite.t);
  });

  const importCsv = (tenant: Tenant, csv: string, query = '') =>
    suite.http.post(`/api/v1/contacts/import${query}`).set(tenant.auth).set('Content-Type', 'text/csv').send(csv);
  const importNdjson = (tenant: Tenant, lines: string) =>
    suite.http.post('/api/v1/contacts/import').set(tenant.auth).set('Content-Type', 'application/x-ndjson').send(lines);
  const contactBy = async (tenant: Tenant, column: string, value: string) =>
    (await asTenant<Json>(tenant, `SELECT * FROM contacts WHERE ${column} = $1 AND deleted_at IS NULL`, [value]))[0];

  it('creates and updates by externalId, else email, else phone, and reports each rejected row with its line and reason', async () => {
    const byExternal = await create(a, { name: 'By External', externalId: 'ext-1', email: 'old-ext@example.com' });
    const byEmail = await create(a, { name: 'By Email', email: 'match@example.com' });
    const byPhone = await create(a, { name: 'By Phone', phone: '+14152000001' });
    const csv = [
      'name,email,phone,externalId,tags,customFields.plan,customFields.seats,customFields.trial,language,timezone',
      'New One,new1@example.com,+14152000002,ext-new,vip|newsletter,pro,3,true,en,Europe/Paris',
      'Renamed External,,,ext-1,a;b,,,,,',
      'Renamed Email,MATCH@example.com,,,,,,,,',
      'Renamed Phone,,+1 415 200 0001,,,,,,,',
      'Bad Phone,bad-phone@example.com,12,,,,,,,',
      'Bad Email,not-an-email,,,,,,,,',
      '"Unclosed "quote,x@example.com,,,,,,,,',
      'Too,few,cells',
      'Bad Seats,seats@example.com,,,,,many,,,',
      ',,,,,,,,,',
      'Bad Zone,zone@example.com,,,,,,,,Mars/Olympus',
      '"Multi',
      'line",multi@example.com,,,,,,,,',
      'Steals Email,new1@example.com,,ext-other,,,,,,',
    ].join('\r\n');
    const res = await importCsv(a, csv);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/imports/${res.body.id}`);
    expect(res.body).toMatchObject({
      status: 'completed',
      format: 'csv',
      mode: 'upsert',
      rowsRead: 13,
      created: 2,
      updated: 3,
      rejected: 8,
    });
    expect(res.body.rejectedRows).toEqual([
      { row: 6, code: 'contact.invalid_phone', message: expect.stringContaining('"12"') },
      { row: 7, code: 'contact.invalid_email', message: expect.stringContaining('not-an-email') },
      { row: 8, code: 'contact_import.malformed_row', message: expect.stringContaining('quote') },
      { row: 9, code: 'contact_import.malformed_row', message: expect.stringContaining('3 cells where the header has 10') },
      { row: 10, code: 'contact.invalid_custom_fields', message: expect.stringContaining('"seats" must be a number') },
      { row: 11, code: 'contact.identity_required', message: expect.any(String) },
      { row: 12, code: 'contact.invalid_timezone', message: expect.stringContaining('Mars/Olympus') },
      // `Multi\nline` (rows 13-14) is one row: created.
      { row: 15, code: 'contact.duplicate_email', message: expect.any(String) },
    ]);
    const report = await suite.http.get(`/api/v1/imports/${res.body.id}`).set(a.auth).expect(200);
    expect(report.body).toEqual(res.body);

    expect(await contactBy(a, 'external_id', 'ext-new')).toMatchObject({
      name: 'New One',
      email: 'new1@example.com',
      phone: '+14152000002',
      tags: ['newsletter', 'vip'],
      custom_fields: { plan: 'pro', seats: 3, trial: true },
      language: 'en',
      timezone: 'Europe/Paris',
      version: 1,
    });
    expect(await contactBy(a, 'id', byExternal.id)).toMatchObject({
      name: 'Renamed External',
      email: 'old-ext@example.com',
      tags: ['a', 'b'],
      version: 2,
    });
    expect(await contactBy(a, 'id', byEmail.id)).toMatchObject({ name: 'Renamed Email', version: 2 });
    expect(await contactBy(a, 'id', byPhone.id)).toMatchObject({ name: 'Renamed Phone', version: 2 });
    expect(await contactBy(a, 'email', 'multi@example.com')).toMatchObject({ name: 'Multi\r\nline' });
  });

  it('numbers rows by the line they start on, also when the upload has no final line break', async () => {
    const res = await importCsv(a, 'name,email\nOk,ok-count@example.com\nBad,bad@');
    expect(res.body).toMatchObject({ rowsRead: 2, created: 1, rejected: 1, rejectedRows: [{ row: 3, code: 'contact.invalid_email' }] });
  });

  it('writes the same events, event-store entries and timeline as the single-contact routes', async () => {
    const body = { name: 'Twin', email: 'twin@example.com', phone: '+14152000003', tags: ['b', 'a'], customFields: { plan: 'pro' } };
    const b = await registerTenant(suite.http, 'import-twin');
    await defineField(b, 'plan', 'text');
    const created = await create(b, body);
    await suite.http
      .patch(`/api/v1/contacts/${created.id}`)
      .set(b.auth)
      .send({ name: 'Twin 2', tags: ['c'] })
      .expect(200);
    const first = await importNdjson(a, `${JSON.stringify(body)}\n`);
    expect(first.body).toMatchObject({ created: 1 });
    const second = await importNdjson(a, `${JSON.stringify({ email: 'twin@example.com', name: 'Twin 2', tags: ['c'] })}\n`);
    expect(second.body).toMatchObject({ updated: 1 });
    const imported = await contactBy(a, 'email', 'twin@example.com');

    const history = async (tenant: Tenant, id: string) => ({
      outbox: await asTenant<Json>(
        tenant,
        `SELECT event_type, event_version, aggregate_type, aggregate_version, event_data, metadata ? 'correlationId' AS correlated
           FROM outbox_events WHERE aggregate_id = $1 ORDER BY sequence`,
        [id],
      ),
      store: await asTenant<Json>(
        tenant,
        `SELECT event_type, event_version, sequence_number, event_data, metadata ? 'actorId' AS actor
           FROM contact_event_store WHERE aggregate_id = $1 ORDER BY sequence_number`,
        [id],
      ),
    });
    const viaApi = await history(b, created.id);
    const viaImport = await history(a, imported.id as string);
    expect(viaImport).toEqual(viaApi);
    expect(viaImport.outbox.map((e) => e.event_type)).toEqual(['contact.created', 'contact.updated']);

    const timeline = async (tenant: Tenant, id: string) =>
      (
        await eventually(async () => {
          const res = await suite.http.get(`/api/v1/contacts/${id}/timeline`).set(tenant.auth).expect(200);
          return res.body.data.length === 2 && res.body.data;
        })
      ).map((e: Json) => ({ type: e.type, title: e.title, payload: e.payload, source: e.source }));
    expect(await timeline(a, imported.id as string)).toEqual(await timeline(b, created.id));
    const v1 = await suite.http.get(`/api/v1/contacts/${imported.id}/versions/1`).set(a.auth).expect(200);
    expect(v1.body).toMatchObject({ name: 'Twin', tags: ['a', 'b'] });
  });

  it('reads NDJSON create bodies: null clears a field, bad JSON and bad bodies are rejected rows', async () => {
    await create(a, { name: 'Nd', externalId: 'nd-1', language: 'pt-BR' });
    const lines = [
      JSON.stringify({ externalId: 'nd-1', language: null, customFields: { seats: 5 } }),
      '',
      '{"name": "broken",',
      '[1, 2]',
      JSON.stringify({ name: 'Unknown field', favouriteColour: 'blue' }),
      JSON.stringify({ name: 'Wrong type', tags: 'vip' }),
      JSON.stringify({ name: 'Nd Two', externalId: 'nd-2', customFields: { seats: '5' } }),
      JSON.stringify({ name: 'Nd Three', externalId: 'nd-3', customFields: { trial: false } }),
    ].join('\n');
    const res = await importNdjson(a, lines);
    expect(res.body).toMatchObject({ format: 'ndjson', rowsRead: 7, created: 1, updated: 1, rejected: 5 });
    expect(res.body.rejectedRows.map((r: Json) => [r.row, r.code])).toEqual([
      [3, 'contact_import.malformed_row'],
      [4, 'contact_import.malformed_row'],
      [5, 'validation'],
      [6, 'validation'],
      [7, 'contact.invalid_custom_fields'],
    ]);
    expect(res.body.rejectedRows[2].message).toMatch(/favouriteColour/);
    expect(await contactBy(a, 'external_id', 'nd-1')).toMatchObject({ language: null, custom_fields: { seats: 5 } });
    expect(await contactBy(a, 'external_id', 'nd-3')).toMatchObject({ custom_fields: { trial: false } });
  });

  it('with mode=create_only rejects rows matching a contact instead of updating it', async () => {
    await create(a, { name: 'Keep', externalId: 'co-1' });
    const res = await importCsv(a, 'name,externalId\nChanged,co-1\nFresh,co-2\n', '?mode=create_only');
    expect(res.body).toMatchObject({ mode: 'create_only', created: 1, updated: 0, rejected: 1 });
    expect(res.body.rejectedRows).toEqual([{ row: 2, code: 'contact.duplicate_external_id', message: expect.any(String) }]);
    expect(await contactBy(a, 'external_id', 'co-1')).toMatchObject({ name: 'Keep' });
    expectProblem(await importCsv(a, 'name\nx\n', '?mode=merge'), 400, 'validation');
  });

  it('changes a contact once per batch: rows repeating a key apply in order', async () => {
    const res = await importCsv(a, 'name,externalId,tags\nFirst,rep-1,a\nSecond,rep-1,b\nThird,rep-1,c\n');
    expect(res.body).toMatchObject({ created: 1, updated: 2, rejected: 0 });
    expect(await contactBy(a, 'external_id', 'rep-1')).toMatchObject({ name: 'Third', tags: ['c'], version: 3 });
  });

  it('refuses other media types (415), a bad header (400), and uploads over CONTACT_IMPORT_MAX_BYTES (413)', async () => {
    expectProblem(
      await suite.http.post('/api/v1/contacts/import').set(a.auth).set('Content-Type', 'text/plain').send('name\nx'),
      415,
      'unsupported_media_type',
    );
    expectProblem(await suite.http.post('/api/v1/contacts/import').set(a.auth).send({ name: 'json' }), 415, 'unsupported_media_type');
    expectProblem(await importCsv(a, 'name,shoeSize\nx,42\n'), 400, 'contact_import.invalid_header');
    expectProblem(await importCsv(a, 'name,name\nx,y\n'), 400, 'contact_import.invalid_header');
    expectProblem(await importCsv(a, ''), 400);
    // Declared too large: refused before a byte is read.
    const declared = await declaredUpload(base, a, 300_001);
    expect(declared.status).toBe(413);
    expect(declared.json()).toMatchObject({ code: 'contact_import.too_large' });
    // Streamed past the limit: what was committed before stays, the import failed.
    const res = await streamUpload(
      base,
      a,
      '/api/v1/contacts/import',
      'text/csv',
      (async function* () {
        yield 'name,externalId\n';
        yield* csvRows(200_000, (i) => `Big ${i},big-${i}`);
      })(),
    );
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ code: 'contact_import.too_large' });
    const list = await suite.http.get('/api/v1/imports?limit=1').set(a.auth).expect(200);
    expect(list.body.data[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('300000 bytes') });
    const [{ n }] = await asTenant<{ n: number }>(a, `SELECT count(*)::int AS n FROM contacts WHERE external_id LIKE 'big-%'`, []);
    expect(n).toBe(list.body.data[0].created);
  });
});
