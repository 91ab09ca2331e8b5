import { Tenant, registerTenant } from '../support/test-app';
import { Json, contactsSuite, expectProblem } from './contacts-helpers';

/** Input that used to be accepted silently wrong: each answers 400 problem+json naming the field and the value. */
describe('contacts: values are validated, never silently wrong', () => {
  const { suite, create, defineField } = contactsSuite();
  let a: Tenant;
  let contactId: string;
  beforeAll(async () => {
    a = await registerTenant(suite.http, 'validation');
    await defineField(a, 'since', 'date');
    await defineField(a, 'plan', 'text');
    contactId = (await create(a, { name: 'Valid' })).id;
  });

  /** POST and PATCH of `body` both answer 400 with `code`, a detail naming `value`, and `field`; nothing is written. */
  async function expectRejected(body: Json, code: string, value: string, field?: string): Promise<void> {
    const before = (await suite.http.get(`/api/v1/contacts/${contactId}`).set(a.auth).expect(200)).body;
    for (const res of [
      await suite.http
        .post('/api/v1/contacts')
        .set(a.auth)
        .send({ name: 'x', ...body }),
      await suite.http.patch(`/api/v1/contacts/${contactId}`).set(a.auth).send(body),
    ]) {
      expectProblem(res, 400, code);
      expect(res.body.detail).toContain(value);
      if (field) expect(res.body.field).toBe(field);
    }
    expect((await suite.http.get(`/api/v1/contacts/${contactId}`).set(a.auth)).body).toEqual(before);
  }

  it('checks phones against the full numbering plan of their country', async () => {
    await expectRejected({ phone: '+49 100 0000000' }, 'contact.invalid_phone', '+49 100 0000000', 'phone');
    expect((await create(a, { phone: '+49 30 901820' })).phone).toBe('+4930901820');
  });

  it('refuses malformed emails such as consecutive dots', async () => {
    for (const email of ['a@b..c', 'a..b@example.com', 'a@example..com', 'a@-example.com']) {
      await expectRejected({ email }, 'contact.invalid_email', email, 'email');
    }
    expect((await create(a, { email: 'first.last+tag@sub.example.co' })).email).toBe('first.last+tag@sub.example.co');
  });

  it('takes only IANA time zones', async () => {
    for (const timezone of ['Mars/Olympus_Mons', '+02:00', 'GMT+25', 'not a zone']) {
      await expectRejected({ timezone }, 'contact.invalid_timezone', timezone, 'timezone');
    }
    const ok = await suite.http.patch(`/api/v1/contacts/${contactId}`).set(a.auth).send({ timezone: 'UTC' }).expect(200);
    expect(ok.body.timezone).toBe('UTC');
  });

  it('takes only BCP 47 language tags', async () => {
    for (const language of ['en_US', 'not a language', '123', 'e']) {
      await expectRejected({ language }, 'contact.invalid_language', language, 'language');
    }
    const ok = await suite.http.patch(`/api/v1/contacts/${contactId}`).set(a.auth).send({ language: 'pt-BR' }).expect(200);
    expect(ok.body.language).toBe('pt-BR');
  });

  it('takes only http(s) URLs as profile pictures', async () => {
    for (const url of ['javascript:alert(1)', 'ftp://example.com/a.png', 'example.com/a.png', 'not a url', 'data:image/png;base64,AAAA']) {
      await expectRejected({ profilePictureUrl: url }, 'contact.invalid_url', url, 'profilePictureUrl');
    }
    const ok = await suite.http
      .patch(`/api/v1/contacts/${contactId}`)
      .set(a.auth)
      .send({ profilePictureUrl: 'http://example.com/p.png' })
      .expect(200);
    expect(ok.body.profilePictureUrl).toBe('http://example.com/p.png');
  });

  it('takes only real calendar dates (or timestamps with a zone) for date custom fields', async () => {
    for (const since of [
      '2020-02-30',
      '2023-02-29',
      '2024-13-01',
      '2024-04-31',
      '2024-01-15T24:00:00Z',
      '2024-01-15T10:00:00',
      '2024-1-5',
    ]) {
      await expectRejected({ customFields: { since } }, 'contact.invalid_custom_fields', '"since" must be a date');
    }
    for (const since of ['2024-02-29', '2024-01-15T10:00:00Z', '2024-01-15T10:00:00.123+05:30']) {
      const ok = await suite.http.patch(`/api/v1/contacts/${contactId}`).set(a.auth).send({ customFields: { since } }).expect(200);
      expect(ok.body.customFields.since).toBe(since);
    }
    const filtered = await suite.http.get('/api/v1/contacts').set(a.auth).query({ customField: 'since:2020-02-30' });
    expectProblem(filtered, 400, 'contact.invalid_custom_fields');
  });

  it('refuses custom field keys that are built-in object properties, when defined and when used', async () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']) {
      const res = await suite.http.post('/api/v1/contact-custom-fields').set(a.auth).send({ key, label: key, type: 'text' });
      expectProblem(res, 400, 'custom_field.reserved_key');
      expect(res.body).toMatchObject({ field: 'key', detail: expect.stringContaining(key) });
    }
    const proto = await suite.http
      .post('/api/v1/contact-custom-fields')
      .set(a.auth)
      .set('content-type', 'application/json')
      .send('{"key":"__proto__","label":"x","type":"text"}');
    expectProblem(proto, 400);
    const defined = (await suite.http.get('/api/v1/contact-custom-fields').set(a.auth).expect(200)).body.data.map((f: Json) => f.key);
    expect(defined.sort()).toEqual(['plan', 'since']);

    // A value under such a key is refused with an error, never dropped on the way in.
    for (const key of ['toString', 'hasOwnProperty', 'valueOf']) {
      await expectRejected({ customFields: { [key]: 'x', plan: 'pro' } }, 'contact.invalid_custom_fields', `"${key}"`);
    }
    for (const [key, json] of [
      ['constructor', '{"customFields":{"constructor":"x","plan":"pro"}}'],
      ['__proto__', '{"customFields":{"__proto__":{"plan":"x"}}}'],
    ]) {
      for (const res of [
        await suite.http.post('/api/v1/contacts').set(a.auth).set('content-type', 'application/json').send(json),
        await suite.http.patch(`/api/v1/contacts/${contactId}`).set(a.auth).set('content-type', 'application/json').send(json),
      ]) {
        expectProblem(res, 400, 'validation');
        expect(res.body.errors).toEqual([{ field: `customFields.${key}`, message: expect.stringContaining('reserved') }]);
      }
    }
    expect((await suite.http.get(`/api/v1/contacts/${contactId}`).set(a.auth)).body.customFields).not.toHaveProperty('plan');
    const filtered = await suite.http.get('/api/v1/contacts').set(a.auth).query({ customField: 'constructor:x' });
    expectProblem(filtered, 400, 'contact.invalid_custom_fields');
  });
});
