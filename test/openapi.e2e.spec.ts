import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import type { Response } from 'supertest';
import { eventually, registerTenant, startTestApp, TestApp } from './support/test-app';

type Schema = SchemaObject & Partial<ReferenceObject>;
interface Operation {
  name: string;
  method: string;
  path: string;
  op: OperationObject;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const PUBLIC = [
  'GET /health',
  'GET /health/ready',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/register',
  'POST /api/v1/webhooks/waha/{token}',
];
const LISTS = [
  'GET /api/v1/agents',
  'GET /api/v1/api-keys',
  'GET /api/v1/audit',
  'GET /api/v1/automations',
  'GET /api/v1/automations/{id}/executions',
  'GET /api/v1/channels',
  'GET /api/v1/chats',
  'GET /api/v1/chats/{id}/messages',
  'GET /api/v1/contact-custom-fields',
  'GET /api/v1/contact-lists',
  'GET /api/v1/contact-lists/{id}/contacts',
  'GET /api/v1/contacts',
  'GET /api/v1/contacts/{id}/notes',
  'GET /api/v1/contacts/{id}/pipelines/{pipelineId}/history',
  'GET /api/v1/contacts/{id}/timeline',
  'GET /api/v1/imports',
  'GET /api/v1/members',
  'GET /api/v1/outbox',
  'GET /api/v1/pipelines',
  'GET /api/v1/pipelines/{id}/statuses/{statusId}/contacts',
  'GET /api/v1/projects',
  'GET /api/v1/sessions',
  'GET /api/v1/webhook-subscriptions',
  'GET /api/v1/webhook-subscriptions/{id}/deliveries',
];
/** Routes answering a stream of another media type instead of JSON. */
const STREAMS: Record<string, string> = {
  'GET /api/v1/events/stream': 'text/event-stream',
  'GET /api/v1/contacts/export': 'text/csv',
};
/** POSTs whose response carries a secret shown once: never stored, so they ignore Idempotency-Key. */
const SHOWN_ONCE = ['POST /api/v1/api-keys', 'POST /api/v1/webhook-subscriptions', 'POST /api/v1/webhook-subscriptions/{id}/rotate-secret'];
/** A streamed import stores no replay either: its body is not kept to compare a retry with. */
const NOT_REPLAYABLE = [...SHOWN_ONCE, 'POST /api/v1/contacts/import'];
/** Routes of a user JWT without X-Project-Id. */
const USER_ONLY = ['/api/v1/auth/me', '/api/v1/invitations', '/api/v1/invitations/{id}/accept', '/api/v1/invitations/{id}/decline'];
const PROBLEM = '#/components/schemas/ProblemDetailsResponse';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenAPIObject;
  let operations: Operation[];

  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.http.get('/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ name: `${method.toUpperCase()} ${path}`, method, path, op: item[method]! })),
    );
  });
  afterAll(() => t.close());

  const api = () => operations.filter((o) => o.path.startsWith('/api/v1/'));
  /** Authenticated operations declare a scheme; public ones declare `security: []`. */
  const secured = (o: Operation) => (o.op.security ?? []).length > 0;
  const responses = (o: Operation) => Object.entries(o.op.responses) as [string, ResponseObject][];
  const headerParams = (o: Operation) => ((o.op.parameters ?? []) as ParameterObject[]).filter((p) => p.in === 'header').map((p) => p.name);
  const schemaAt = (ref: string): Schema => doc.components!.schemas![ref.replace('#/components/schemas/', '')] as Schema;
  const resolve = (s: Schema): Schema => (s.$ref ? resolve(schemaAt(s.$ref)) : s);
  const successSchema = (o: Operation): Schema | undefined => {
    const ok = responses(o).find(([status]) => status.startsWith('2'));
    return ok?.[1].content?.['application/json']?.schema as Schema | undefined;
  };

  it('documents a 2xx response with a JSON schema on every /api/v1 operation (a 204 without a body)', () => {
    expect(api().length).toBeGreaterThan(35);
    const wrong = api().flatMap((o) => {
      const success = responses(o).filter(([status]) => status.startsWith('2'));
      if (success.length === 0) return [`${o.name}: no 2xx response`];
      return success.flatMap(([status, r]) => {
        if (status === '204') return r.content ? [`${o.name}: 204 with a body`] : [];
        // Server-Sent Events and downloads are text, documented as a string schema of their own media type.
        const media = STREAMS[o.name] ?? 'application/json';
        return r.content?.[media]?.schema ? [] : [`${o.name}: ${status} without a schema`];
      });
    });
    expect(wrong).toEqual([]);
  });

  it('documents bearer auth and 401 on every operation that is not public', () => {
    expect(doc.components!.securitySchemes!.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(
      operations
        .filter((o) => !secured(o))
        .map((o) => o.name)
        .sort(),
    ).toEqual(PUBLIC);
    expect(operations.filter((o) => !o.op.security).map((o) => o.name)).toEqual([]);
    const wrong = operations.filter((o) => secured(o) && !o.op.responses['401']).map((o) => o.name);
    expect(wrong).toEqual([]);
  });

  it('documents every error as application/problem+json ProblemDetails', () => {
    const wrong = operations.flatMap((o) =>
      responses(o)
        .filter(([status]) => Number(status) >= 400)
        .filter(
          ([, r]) =>
            Object.keys(r.content ?? {}).join() !== 'application/problem+json' ||
            (r.content!['application/problem+json'].schema as Schema).$ref !== PROBLEM,
        )
        .map(([status]) => `${o.name}: ${status}`),
    );
    expect(wrong).toEqual([]);
    const problem = resolve({ $ref: PROBLEM });
    expect(Object.keys(problem.properties!)).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'code', 'errors']),
    );
    expect(resolve((problem.properties!.errors as SchemaObject).items as Schema).properties).toHaveProperty('field');
  });

  it('documents list operations as pages of { data, nextCursor }', () => {
    const paginated = operations.filter((o) =>
      ((o.op.parameters ?? []) as ParameterObject[]).some((p) => p.in === 'query' && p.name === 'cursor'),
    );
    expect(LISTS).toEqual(expect.arrayContaining(paginated.map((o) => o.name)));
    for (const name of LISTS) {
      const o = operations.find((x) => x.name === name)!;
      expect({ name, ok: Boolean(o.op.responses['200']) }).toEqual({ name, ok: true });
      const page = resolve(successSchema(o)!);
      expect({ name, required: page.required, data: (page.properties?.data as Schema)?.type }).toEqual({
        name,
        required: ['data', 'nextCursor'],
        data: 'array',
      });
      expect(page.properties!.nextCursor).toMatchObject({ type: 'string', nullable: true });
      expect(((page.properties!.data as SchemaObject).items as Schema).$ref).toBeDefined();
    }
  });

  it('documents the contact with its fields', () => {
    const get = operations.find((o) => o.name === 'GET /api/v1/contacts/{id}')!;
    const contact = resolve(successSchema(get)!);
    expect(Object.keys(contact.properties!)).toEqual(
      expect.arrayContaining(['id', 'name', 'email', 'phone', 'tags', 'customFields', 'version']),
    );
    expect(contact.properties!.tags).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(contact.properties!.version).toMatchObject({ type: 'integer' });
  });

  it('documents the headers: ETag, If-Match, Idempotency-Key, X-Project-Id and X-Request-Id', () => {
    const missing: string[] = [];
    for (const o of operations) {
      const headers = headerParams(o);
      // The request-context middleware (X-Request-Id) runs on the /api/v1 routes, not on /health.
      if (o.path.startsWith('/api/v1/')) {
        if (!headers.includes('X-Request-Id')) missing.push(`${o.name}: X-Request-Id parameter`);
        for (const [status, r] of responses(o)) if (!r.headers?.['X-Request-Id']) missing.push(`${o.name}: ${status} X-Request-Id header`);
      }
      if (secured(o) && !USER_ONLY.includes(o.path) && !headers.includes('X-Project-Id')) missing.push(`${o.name}: X-Project-Id`);
      // The POSTs answering a secret shown once never store their response (API keys, webhook signing secrets), nor
      // does a streamed import; the routes of a user token without a project have no Idempotency-Key scope.
      const replayable = !NOT_REPLAYABLE.includes(o.name) && !USER_ONLY.includes(o.path);
      if (secured(o) && o.method === 'post' && replayable && (!headers.includes('Idempotency-Key') || !o.op.responses['422']))
        missing.push(`${o.name}: Idempotency-Key`);
      if (!replayable && headers.includes('Idempotency-Key')) missing.push(`${o.name}: documents an Idempotency-Key it ignores`);
      if (
        (o.method === 'patch' || o.method === 'delete') &&
        o.path !== '/api/v1/api-keys/{id}' &&
        (!headers.includes('If-Match') || !o.op.responses['412'])
      ) {
        missing.push(`${o.name}: If-Match`);
      }
      // A single versioned resource answers with its version as ETag (a rebuilt past version excepted).
      const schema = successSchema(o);
      if (schema?.$ref && resolve(schema).properties?.version && !o.path.includes('/versions/')) {
        const [, ok] = responses(o).find(([status]) => status.startsWith('2'))!;
        if (!ok.headers?.ETag) missing.push(`${o.name}: ETag`);
      }
    }
    expect(missing).toEqual([]);
  });

  describe('against the running API', () => {
    /** The response must be one the operation documents: status, content type, schema and required headers. */
    function expectDocumented(method: string, path: string, res: Response): void {
      const op = (doc.paths[path] as Record<string, OperationObject> | undefined)?.[method];
      if (!op) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
      const documented = op.responses[String(res.status)] as ResponseObject | undefined;
      if (!documented)
        throw new Error(`${method.toUpperCase()} ${path} answered ${res.status}, which is not documented: ${JSON.stringify(res.body)}`);
      const at = `${method.toUpperCase()} ${path} ${res.status}`;
      const headers = documented.headers ?? {};
      const problems = [
        ...Object.entries(headers)
          .filter(([name, h]) => (h as { required?: boolean }).required && res.headers[name.toLowerCase()] === undefined)
          .map(([name]) => `${at}: no ${name} header`),
        ...['ETag', 'Idempotent-Replayed', 'Retry-After', 'X-Request-Id']
          .filter((name) => res.headers[name.toLowerCase()] !== undefined && !headers[name])
          .map((name) => `${at}: undocumented ${name} header`),
      ];
      if (res.status === 204) {
        problems.push(...(documented.content ? [`${at}: 204 documented with a body`] : []));
      } else {
        const type = String(res.headers['content-type']).split(';')[0];
        const media = documented.content?.[type];
        if (!media) problems.push(`${at}: content type ${type} is not documented`);
        else problems.push(...conform(res.body, media.schema as Schema, at));
      }
      expect(problems).toEqual([]);
    }

    /** The value's deviations from the schema; every field the API returns must be documented. */
    function conform(value: unknown, schema: Schema | undefined, at: string): string[] {
      if (!schema) return [`${at}: no schema`];
      // RFC 9457 problems may carry extension members (e.g. expected/actual on version_conflict).
      if (schema.$ref)
        return conform(value, { ...schemaAt(schema.$ref), ...(schema.$ref === PROBLEM ? { additionalProperties: true } : {}) }, at);
      if (schema.allOf) return schema.allOf.flatMap((s) => conform(value, s as Schema, at));
      if (value === null) return schema.nullable ? [] : [`${at}: null, which is not nullable`];
      if (schema.oneOf) {
        const fits = schema.oneOf.filter((s) => conform(value, s as Schema, at).length === 0).length;
        return fits === 1 ? [] : [`${at}: ${JSON.stringify(value)} fits ${fits} of the oneOf schemas, not exactly one`];
      }
      if (schema.anyOf)
        return schema.anyOf.some((s) => conform(value, s as Schema, at).length === 0) ? [] : [`${at}: fits none of the anyOf schemas`];
      if (schema.enum && !schema.enum.includes(value))
        return [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
      switch (schema.type) {
        case 'object': {
          if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
          const properties = (schema.properties ?? {}) as Record<string, Schema>;
          const record = value as Record<string, unknown>;
          return [
            ...(schema.required ?? []).filter((key) => !(key in record)).map((key) => `${at}.${key}: missing`),
            ...(schema.additionalProperties
              ? []
              : Object.keys(record)
                  .filter((key) => !(key in properties))
                  .map((key) => `${at}.${key}: not documented`)),
            ...Object.entries(record)
              .filter(([key]) => key in properties)
              .flatMap(([key, v]) => conform(v, properties[key], `${at}.${key}`)),
          ];
        }
        case 'array':
          return Array.isArray(value)
            ? value.flatMap((v, i) => conform(v, schema.items as Schema, `${at}[${i}]`))
            : [`${at}: not an array`];
        case 'string':
          if (typeof value !== 'string') return [`${at}: not a string`];
          if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) return [`${at}: not a date-time`];
          if (schema.format === 'uuid' && !UUID.test(value)) return [`${at}: not a uuid`];
          return [];
        case 'integer':
          return Number.isInteger(value) ? [] : [`${at}: not an integer`];
        case 'number':
          return typeof value === 'number' ? [] : [`${at}: not a number`];
        case 'boolean':
          return typeof value === 'boolean' ? [] : [`${at}: not a boolean`];
        default:
          return [`${at}: schema without a type`];
      }
    }

    /** Checks a response against the document, after its status. */
    const check = (method: string, path: string, status: number) => (res: Response) => {
      expect({ call: `${method.toUpperCase()} ${path}`, status: res.status }).toEqual({ call: `${method.toUpperCase()} ${path}`, status });
      expectDocumented(method, path, res);
      return res;
    };

    it('answers what the document says, successes and problems alike', async () => {
      const { http } = t;
      const stamp = `${process.pid}-${Date.now()}`;
      const register = (label: string) =>
        http.post('/api/v1/auth/register').send({
          email: `${label}-${stamp}@example.com`,
          password: 'correct horse battery',
          name: `${label} owner`,
          tenantName: `${label} ${stamp}`,
        });

      // Identity: register, login, me.
      const a = await register('openapi-a').then(check('post', '/api/v1/auth/register', 201));
      const auth = { Authorization: `Bearer ${a.body.apiKey.key}` };
      await register('openapi-a').then(check('post', '/api/v1/auth/register', 409)); // duplicate email
      await http
        .post('/api/v1/auth/register')
        .send({ email: 'nope' })
        .then(check('post', '/api/v1/auth/register', 400));
      const login = await http
        .post('/api/v1/auth/login')
        .send({ email: `openapi-a-${stamp}@example.com`, password: 'correct horse battery' })
        .then(check('post', '/api/v1/auth/login', 200));
      await http
        .post('/api/v1/auth/login')
        .send({ email: `openapi-a-${stamp}@example.com`, password: 'wrong password!' })
        .then(check('post', '/api/v1/auth/login', 401));
      const jwt = { Authorization: `Bearer ${login.body.accessToken}` };
      await http
        .get('/api/v1/auth/me')
        .set(jwt)
        .then(check('get', '/api/v1/auth/me', 200));
      await http
        .get('/api/v1/auth/me')
        .set(auth)
        .then(check('get', '/api/v1/auth/me', 401)); // API keys are not accepted

      // Custom fields.
      const field = await http
        .post('/api/v1/contact-custom-fields')
        .set(auth)
        .send({ key: 'plan', label: 'Plan', type: 'text' })
        .then(check('post', '/api/v1/contact-custom-fields', 201));
      await http
        .patch(`/api/v1/contact-custom-fields/${field.body.id}`)
        .set(auth)
        .send({ label: 'Plan name' })
        .then(check('patch', '/api/v1/contact-custom-fields/{id}', 200));
      await http
        .get('/api/v1/contact-custom-fields')
        .set(auth)
        .then(check('get', '/api/v1/contact-custom-fields', 200));

      // Contacts: create (and replay it), read, change, list, history; and the usual problems.
      const body = {
        name: 'Grace',
        email: `grace-${stamp}@example.com`,
        phone: '+1 415 555 2671',
        tags: ['vip'],
        customFields: { plan: 'pro' },
      };
      const created = await http
        .post('/api/v1/contacts')
        .set(auth)
        .set('Idempotency-Key', `create-${stamp}`)
        .send(body)
        .then(check('post', '/api/v1/contacts', 201));
      const replay = await http
        .post('/api/v1/contacts')
        .set(auth)
        .set('Idempotency-Key', `create-${stamp}`)
        .send(body)
        .then(check('post', '/api/v1/contacts', 201));
      expect(replay.headers['idempotent-replayed']).toBe('true');
      await http
        .post('/api/v1/contacts')
        .set(auth)
        .set('Idempotency-Key', `create-${stamp}`)
        .send({ name: 'Other' })
        .then(check('post', '/api/v1/contacts', 422));
      await http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ email: body.email })
        .then(check('post', '/api/v1/contacts', 409));
      const invalid = await http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ tags: 'vip', unknown: 1 })
        .then(check('post', '/api/v1/contacts', 400));
      expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['tags', 'unknown']));
      const id = created.body.id;
      await http
        .get(`/api/v1/contacts/${id}`)
        .set(auth)
        .then(check('get', '/api/v1/contacts/{id}', 200));
      await http
        .get('/api/v1/contacts/0190a3c5-0000-7000-8000-000000000000')
        .set(auth)
        .then(check('get', '/api/v1/contacts/{id}', 404));
      await http.get(`/api/v1/contacts/${id}`).then(check('get', '/api/v1/contacts/{id}', 401));
      await http
        .patch(`/api/v1/contacts/${id}`)
        .set(auth)
        .set('If-Match', '"1"')
        .send({ language: 'en' })
        .then(check('patch', '/api/v1/contacts/{id}', 200));
      await http
        .patch(`/api/v1/contacts/${id}`)
        .set(auth)
        .set('If-Match', '"1"')
        .send({ language: 'pt' })
        .then(check('patch', '/api/v1/contacts/{id}', 412));
      await http
        .patch(`/api/v1/contacts/${id}`)
        .set(auth)
        .send({ language: 'pt', version: 1 })
        .then(check('patch', '/api/v1/contacts/{id}', 409));
      await http
        .get('/api/v1/contacts?limit=1')
        .set(auth)
        .then(check('get', '/api/v1/contacts', 200));
      await http
        .get(`/api/v1/contacts/${id}/versions/1`)
        .set(auth)
        .then(check('get', '/api/v1/contacts/{id}/versions/{version}', 200));
      await eventually(async () => (await http.get(`/api/v1/contacts/${id}/timeline`).set(auth)).body.data?.length > 0);
      await http
        .get(`/api/v1/contacts/${id}/timeline`)
        .set(auth)
        .then(check('get', '/api/v1/contacts/{id}/timeline', 200));

      // Contact lists and their members.
      const list = await http
        .post('/api/v1/contact-lists')
        .set(auth)
        .send({ name: `List ${stamp}` })
        .then(check('post', '/api/v1/contact-lists', 201));
      await http
        .get(`/api/v1/contact-lists/${list.body.id}`)
        .set(auth)
        .then(check('get', '/api/v1/contact-lists/{id}', 200));
      await http
        .patch(`/api/v1/contact-lists/${list.body.id}`)
        .set(auth)
        .send({ description: 'Described' })
        .then(check('patch', '/api/v1/contact-lists/{id}', 200));
      await http
        .get('/api/v1/contact-lists')
        .set(auth)
        .then(check('get', '/api/v1/contact-lists', 200));
      await http
        .post(`/api/v1/contact-lists/${list.body.id}/contacts`)
        .set(auth)
        .send({ contactIds: [id] })
        .then(check('post', '/api/v1/contact-lists/{id}/contacts', 200));
      await http
        .get(`/api/v1/contact-lists/${list.body.id}/contacts`)
        .set(auth)
        .then(check('get', '/api/v1/contact-lists/{id}/contacts', 200));
      await http
        .post(`/api/v1/contact-lists/${list.body.id}/contacts/remove`)
        .set(auth)
        .send({ contactIds: [id] })
        .then(check('post', '/api/v1/contact-lists/{id}/contacts/remove', 200));
      await http
        .delete(`/api/v1/contact-lists/${list.body.id}`)
        .set(auth)
        .then(check('delete', '/api/v1/contact-lists/{id}', 204));
      await http
        .post(`/api/v1/contact-lists/${list.body.id}/restore`)
        .set(auth)
        .then(check('post', '/api/v1/contact-lists/{id}/restore', 200));

      await http
        .delete(`/api/v1/contacts/${id}`)
        .set(auth)
        .then(check('delete', '/api/v1/contacts/{id}', 204));
      await http
        .get('/api/v1/contacts?deleted=true')
        .set(auth)
        .then(check('get', '/api/v1/contacts', 200));
      await http
        .post(`/api/v1/contacts/${id}/restore`)
        .set(auth)
        .then(check('post', '/api/v1/contacts/{id}/restore', 200));

      // Projects.
      await http
        .get('/api/v1/projects')
        .set(auth)
        .then(check('get', '/api/v1/projects', 200));
      await http
        .get(`/api/v1/projects/${a.body.project.id}`)
        .set(auth)
        .then(check('get', '/api/v1/projects/{id}', 200));
      const project = await http
        .post('/api/v1/projects')
        .set(auth)
        .send({ name: `Second ${stamp}` })
        .then(check('post', '/api/v1/projects', 201));
      await http
        .patch(`/api/v1/projects/${project.body.id}`)
        .set(auth)
        .send({ active: false })
        .then(check('patch', '/api/v1/projects/{id}', 200));
      await http
        .delete(`/api/v1/projects/${a.body.project.id}`)
        .set(auth)
        .then(check('delete', '/api/v1/projects/{id}', 409)); // a project cannot delete itself
      await http
        .delete(`/api/v1/projects/${project.body.id}`)
        .set(auth)
        .then(check('delete', '/api/v1/projects/{id}', 204));
      await http
        .post(`/api/v1/projects/${project.body.id}/restore`)
        .set(auth)
        .then(check('post', '/api/v1/projects/{id}/restore', 200));

      // Members: another user is invited read-only, accepts, and meets 400, 403 and 404 through X-Project-Id.
      const b = await register('openapi-b');
      const invitation = await http
        .post('/api/v1/members')
        .set(auth)
        .send({ email: `openapi-b-${stamp}@example.com`, role: 'readonly' })
        .then(check('post', '/api/v1/members', 201));
      const unanswered = await http
        .post('/api/v1/members')
        .set(auth)
        .send({ email: `nobody-${stamp}@example.com`, role: 'user' })
        .then(check('post', '/api/v1/members', 201)); // the same answer whether or not the email is registered
      await http
        .post('/api/v1/members')
        .set(auth)
        .send({ email: `nobody-${stamp}@example.com`, role: 'user' })
        .then(check('post', '/api/v1/members', 409)); // already invited
      const bLogin = await http
        .post('/api/v1/auth/login')
        .send({ email: `openapi-b-${stamp}@example.com`, password: 'correct horse battery' });
      const bJwt = { Authorization: `Bearer ${bLogin.body.accessToken}` };
      await http
        .get('/api/v1/invitations')
        .set(bJwt)
        .then(check('get', '/api/v1/invitations', 200));
      await http
        .get('/api/v1/invitations')
        .set(auth)
        .then(check('get', '/api/v1/invitations', 401)); // API keys are not accepted
      await http
        .post(`/api/v1/invitations/${b.body.user.id}/decline`)
        .set(bJwt)
        .then(check('post', '/api/v1/invitations/{id}/decline', 404));
      await http
        .post(`/api/v1/invitations/${invitation.body.id}/accept`)
        .set(bJwt)
        .then(check('post', '/api/v1/invitations/{id}/accept', 200));
      await http
        .post(`/api/v1/invitations/${invitation.body.id}/decline`)
        .set(bJwt)
        .then(check('post', '/api/v1/invitations/{id}/decline', 409)); // already accepted
      await http
        .get('/api/v1/project-invitations')
        .set(auth)
        .then(check('get', '/api/v1/project-invitations', 200));
      await http
        .delete(`/api/v1/project-invitations/${unanswered.body.id}`)
        .set(auth)
        .then(check('delete', '/api/v1/project-invitations/{id}', 204));
      await http
        .delete(`/api/v1/project-invitations/${invitation.body.id}`)
        .set(auth)
        .then(check('delete', '/api/v1/project-invitations/{id}', 409)); // accepted already
      const members = await http
        .get('/api/v1/members')
        .set(auth)
        .then(check('get', '/api/v1/members', 200));
      const member = { body: members.body.data.find((m: { userId: string }) => m.userId === b.body.user.id) };
      await http
        .get(`/api/v1/members/${member.body.id}`)
        .set(auth)
        .then(check('get', '/api/v1/members/{id}', 200));
      await http
        .get('/api/v1/contacts')
        .set(bJwt)
        .then(check('get', '/api/v1/contacts', 400)); // no X-Project-Id
      await http
        .get('/api/v1/contacts')
        .set(bJwt)
        .set('X-Project-Id', b.body.project.id)
        .then(check('get', '/api/v1/contacts', 200));
      await http
        .get('/api/v1/contacts')
        .set(bJwt)
        .set('X-Project-Id', project.body.id)
        .then(check('get', '/api/v1/contacts', 404)); // not a member
      await http
        .post('/api/v1/contacts')
        .set(bJwt)
        .set('X-Project-Id', a.body.project.id)
        .send({ name: 'Nope' })
        .then(check('post', '/api/v1/contacts', 403));
      await http
        .patch(`/api/v1/members/${member.body.id}`)
        .set(auth)
        .set('If-Match', '"1"')
        .send({ role: 'user' })
        .then(check('patch', '/api/v1/members/{id}', 200));
      await http
        .delete(`/api/v1/members/${member.body.id}`)
        .set(auth)
        .then(check('delete', '/api/v1/members/{id}', 204));

      // API keys.
      await http
        .get('/api/v1/api-keys')
        .set(auth)
        .then(check('get', '/api/v1/api-keys', 200));
      const key = await http
        .post('/api/v1/api-keys')
        .set(auth)
        .send({ name: 'CI' })
        .then(check('post', '/api/v1/api-keys', 201));
      await http
        .delete(`/api/v1/api-keys/${key.body.id}`)
        .set(auth)
        .then(check('delete', '/api/v1/api-keys/{id}', 204));

      // Outbox and health.
      const outbox = await http
        .get('/api/v1/outbox?limit=5')
        .set(auth)
        .then(check('get', '/api/v1/outbox', 200));
      const notFailed = outbox.body.data.find((e: { status: string }) => e.status !== 'failed');
      await http
        .post(`/api/v1/outbox/${notFailed.id}/replay`)
        .set(auth)
        .then(check('post', '/api/v1/outbox/{id}/replay', 409));
      await http.get('/health').then(check('get', '/health', 200));
      await http.get('/health/ready').then(check('get', '/health/ready', 200));

      // Channels (this app has no PUBLIC_URL: activation cannot give WAHA an absolute webhook URL) and their webhook.
      const channel = await http
        .post('/api/v1/channels')
        .set(auth)
        .send({ name: 'WhatsApp', type: 'waha', config: { baseUrl: 'http://127.0.0.1:9', session: 'default' } })
        .then(check('post', '/api/v1/channels', 201));
      await http
        .post('/api/v1/channels')
        .set(auth)
        .send({ name: 'WhatsApp', type: 'sms' })
        .then(check('post', '/api/v1/channels', 400));
      await http
        .get('/api/v1/channels')
        .set(auth)
        .then(check('get', '/api/v1/channels', 200));
      await http
        .patch(`/api/v1/channels/${channel.body.id}`)
        .set(auth)
        .set('If-Match', '"1"')
        .send({ debounceMs: 1000 })
        .then(check('patch', '/api/v1/channels/{id}', 200));
      await http
        .post(`/api/v1/channels/${channel.body.id}/activate`)
        .set(auth)
        .then(check('post', '/api/v1/channels/{id}/activate', 409));
      await http
        .post(`/api/v1/channels/${channel.body.id}/deactivate`)
        .set(auth)
        .then(check('post', '/api/v1/channels/{id}/deactivate', 200));
      const token = String(channel.body.webhookUrl).split('/').pop();
      // A message (not a session.status, whose processing would move the channel's version under the calls below).
      const event = {
        event: 'message',
        session: 'default',
        payload: { id: 'false_14155550101@c.us_A', timestamp: 1758636637, from: '14155550101@c.us', fromMe: false, body: 'hi' },
      };
      await http
        .post(`/api/v1/webhooks/waha/${token}`)
        .send(event)
        .then(check('post', '/api/v1/webhooks/waha/{token}', 202));
      await http
        .post(`/api/v1/webhooks/waha/${token}`)
        .send({ ...event, session: 'other' })
        .then(check('post', '/api/v1/webhooks/waha/{token}', 400));
      await http
        .post('/api/v1/webhooks/waha/unknown-token')
        .send(event)
        .then(check('post', '/api/v1/webhooks/waha/{token}', 404));
      // The message's chat and the message, as the conversations consumer recorded them.
      const chats = await eventually(async () => {
        const res = await http.get(`/api/v1/chats?channelId=${channel.body.id}`).set(auth);
        return res.body.data?.length ? res : undefined;
      });
      check('get', '/api/v1/chats', 200)(chats);
      const chatId = chats.body.data[0].id;
      await http
        .get('/api/v1/chats?type=broadcast')
        .set(auth)
        .then(check('get', '/api/v1/chats', 400));
      await http
        .get(`/api/v1/chats/${chatId}`)
        .set(auth)
        .then(check('get', '/api/v1/chats/{id}', 200));
      const messages = await http
        .get(`/api/v1/chats/${chatId}/messages?limit=1`)
        .set(auth)
        .then(check('get', '/api/v1/chats/{id}/messages', 200));
      await http
        .get(`/api/v1/chats/01a21290-0000-7000-8000-000000000000/messages`)
        .set(auth)
        .then(check('get', '/api/v1/chats/{id}/messages', 404));
      await http
        .get(`/api/v1/messages/${messages.body.data[0].id}`)
        .set(auth)
        .then(check('get', '/api/v1/messages/{id}', 200));
      await http
        .get('/api/v1/messages/01a21290-0000-7000-8000-000000000000')
        .set(auth)
        .then(check('get', '/api/v1/messages/{id}', 404));
      await http
        .delete(`/api/v1/channels/${channel.body.id}`)
        .set(auth)
        .then(check('delete', '/api/v1/channels/{id}', 204));
      await http
        .post(`/api/v1/channels/${channel.body.id}/restore`)
        .set(auth)
        .then(check('post', '/api/v1/channels/{id}/restore', 200));
      await http
        .get(`/api/v1/channels/${channel.body.id}`)
        .set(auth)
        .then(check('get', '/api/v1/channels/{id}', 200));

      // Outbound webhook subscriptions (the test apps allow local receivers; nothing listens on port 9).
      const subscription = await http
        .post('/api/v1/webhook-subscriptions')
        .set(auth)
        .send({ url: 'http://127.0.0.1:9/hooks', events: ['contact.*'], description: 'OpenAPI' })
        .then(check('post', '/api/v1/webhook-subscriptions', 201));
      await http
        .post('/api/v1/webhook-subscriptions')
        .set(auth)
        .send({ url: 'ftp://127.0.0.1/hooks', events: ['contact.*'] })
        .then(check('post', '/api/v1/webhook-subscriptions', 400));
      await http
        .get('/api/v1/webhook-subscriptions')
        .set(auth)
        .then(check('get', '/api/v1/webhook-subscriptions', 200));
      await http
        .patch(`/api/v1/webhook-subscriptions/${subscription.body.id}`)
        .set(auth)
        .set('If-Match', '"1"')
        .send({ events: ['*'] })
        .then(check('patch', '/api/v1/webhook-subscriptions/{id}', 200));
      await http
        .patch(`/api/v1/webhook-subscriptions/${subscription.body.id}`)
        .set(auth)
        .set('If-Match', '"1"')
        .send({ events: ['*'] })
        .then(check('patch', '/api/v1/webhook-subscriptions/{id}', 412));
      await http
        .post(`/api/v1/webhook-subscriptions/${subscription.body.id}/rotate-secret`)
        .set(auth)
        .then(check('post', '/api/v1/webhook-subscriptions/{id}/rotate-secret', 200));
      await http
        .post(`/api/v1/webhook-subscriptions/${subscription.body.id}/resume`)
        .set(auth)
        .then(check('post', '/api/v1/webhook-subscriptions/{id}/resume', 409));
      await http
        .post(`/api/v1/webhook-subscriptions/${subscription.body.id}/pause`)
        .set(auth)
        .then(check('post', '/api/v1/webhook-subscriptions/{id}/pause', 200));
      await http
        .post(`/api/v1/webhook-subscriptions/${subscription.body.id}/resume`)
        .set(auth)
        .then(check('post', '/api/v1/webhook-subscriptions/{id}/resume', 200));
      await http.post('/api/v1/contacts').set(auth).send({ name: 'Webhook subject' }).expect(201);
      const webhookDeliveries = await eventually(async () => {
        const res = await http.get(`/api/v1/webhook-subscriptions/${subscription.body.id}/deliveries?status=pending`).set(auth);
        return res.body.data?.length ? res : undefined;
      });
      check('get', '/api/v1/webhook-subscriptions/{id}/deliveries', 200)(webhookDeliveries);
      await http
        .get(`/api/v1/webhook-subscriptions/${subscription.body.id}/deliveries?status=lost`)
        .set(auth)
        .then(check('get', '/api/v1/webhook-subscriptions/{id}/deliveries', 400));
      await http
        .post(`/api/v1/webhook-deliveries/${webhookDeliveries.body.data[0].id}/replay`)
        .set(auth)
        .then(check('post', '/api/v1/webhook-deliveries/{id}/replay', 202));
      await http
        .post('/api/v1/webhook-deliveries/01a21290-0000-7000-8000-000000000000/replay')
        .set(auth)
        .then(check('post', '/api/v1/webhook-deliveries/{id}/replay', 404));
      await http
        .delete(`/api/v1/webhook-subscriptions/${subscription.body.id}`)
        .set(auth)
        .then(check('delete', '/api/v1/webhook-subscriptions/{id}', 204));
      await http
        .get(`/api/v1/webhook-subscriptions/${subscription.body.id}`)
        .set(auth)
        .then(check('get', '/api/v1/webhook-subscriptions/{id}', 404));
    });

    it('answers the automation routes as documented', async () => {
      const { http } = t;
      const tenant = await registerTenant(http, 'openapi-automations');
      const auth = tenant.auth;
      const body = {
        name: 'Route VIPs',
        enabled: true,
        trigger: { event: 'contact.created' },
        conditions: { all: [{ field: 'tags', op: 'contains', value: 'vip' }], any: [{ all: [{ field: 'email', op: 'exists' }] }] },
        actions: [{ type: 'add_tag', params: { tag: 'routed' } }],
      };
      const created = await http
        .post('/api/v1/automations')
        .set(auth)
        .send(body)
        .then(check('post', '/api/v1/automations', 201));
      const id = created.body.id;
      await http
        .post('/api/v1/automations')
        .set(auth)
        .send({ ...body, actions: [{ type: 'nope', params: {} }] })
        .then(check('post', '/api/v1/automations', 400));
      await http
        .get('/api/v1/automations')
        .set(auth)
        .then(check('get', '/api/v1/automations', 200));
      await http
        .get('/api/v1/automations/catalog')
        .set(auth)
        .then(check('get', '/api/v1/automations/catalog', 200));
      await http
        .get(`/api/v1/automations/${id}`)
        .set(auth)
        .then(check('get', '/api/v1/automations/{id}', 200));
      await http
        .patch(`/api/v1/automations/${id}`)
        .set(auth)
        .set('If-Match', '"1"')
        .send({ priority: 2 })
        .then(check('patch', '/api/v1/automations/{id}', 200));
      await http
        .patch(`/api/v1/automations/${id}`)
        .set(auth)
        .set('If-Match', '"1"')
        .send({ priority: 3 })
        .then(check('patch', '/api/v1/automations/{id}', 412));
      const contact = await http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ name: 'VIP', tags: ['vip'], email: 'vip@openapi.test' })
        .expect(201);
      await http
        .post(`/api/v1/automations/${id}/test`)
        .set(auth)
        .send({ event: { type: 'contact.created', contactId: contact.body.id, data: { n: 1 } } })
        .then(check('post', '/api/v1/automations/{id}/test', 200));
      await eventually(async () => (await http.get(`/api/v1/automations/${id}/executions`).set(auth)).body.data?.length > 0);
      await http
        .get(`/api/v1/automations/${id}/executions`)
        .set(auth)
        .then(check('get', '/api/v1/automations/{id}/executions', 200));
      await http
        .delete(`/api/v1/automations/${id}`)
        .set(auth)
        .then(check('delete', '/api/v1/automations/{id}', 204));
      await http
        .get(`/api/v1/automations/${id}`)
        .set(auth)
        .then(check('get', '/api/v1/automations/{id}', 404));
      await http
        .post(`/api/v1/automations/${id}/restore`)
        .set(auth)
        .then(check('post', '/api/v1/automations/{id}/restore', 200));
    });

    it('answers what the document says for pipelines, contact places and notes', async () => {
      const { http } = t;
      const { auth } = await registerTenant(http, 'openapi-pipelines');
      const MISSING = '01a21290-0000-7000-8000-000000000000';
      const pipeline = await http
        .post('/api/v1/pipelines')
        .set(auth)
        .send({
          name: 'Sales',
          sessionTimeoutMinutes: 30,
          statuses: [
            { name: 'New', type: 'open' },
            { name: 'Won', type: 'closed', color: '#43a047' },
          ],
        })
        .then(check('post', '/api/v1/pipelines', 201));
      const id = pipeline.body.id;
      const [fresh, won] = pipeline.body.statuses.map((s: { id: string }) => s.id);
      await http
        .post('/api/v1/pipelines')
        .set(auth)
        .send({ name: '' })
        .then(check('post', '/api/v1/pipelines', 400));
      await http
        .get('/api/v1/pipelines')
        .set(auth)
        .then(check('get', '/api/v1/pipelines', 200));
      await http
        .get(`/api/v1/pipelines/${id}`)
        .set(auth)
        .then(check('get', '/api/v1/pipelines/{id}', 200));
      await http
        .get(`/api/v1/pipelines/${MISSING}`)
        .set(auth)
        .then(check('get', '/api/v1/pipelines/{id}', 404));
      await http
        .patch(`/api/v1/pipelines/${id}`)
        .set(auth)
        .send({ color: '#000000' })
        .then(check('patch', '/api/v1/pipelines/{id}', 200));
      await http
        .patch(`/api/v1/pipelines/${id}`)
        .set(auth)
        .set('If-Match', '"1"')
        .send({ name: 'x' })
        .then(check('patch', '/api/v1/pipelines/{id}', 412));
      const added = await http
        .post(`/api/v1/pipelines/${id}/statuses`)
        .set(auth)
        .send({ name: 'Lost', type: 'closed' })
        .then(check('post', '/api/v1/pipelines/{id}/statuses', 201));
      await http
        .post(`/api/v1/pipelines/${id}/statuses`)
        .set(auth)
        .send({ name: 'lost', type: 'closed' })
        .then(check('post', '/api/v1/pipelines/{id}/statuses', 409));
      const lost = added.body.statuses[2].id;
      await http
        .patch(`/api/v1/pipelines/${id}/statuses/${fresh}`)
        .set(auth)
        .send({ allowedNext: [won] })
        .then(check('patch', '/api/v1/pipelines/{id}/statuses/{statusId}', 200));
      await http
        .put(`/api/v1/pipelines/${id}/statuses/order`)
        .set(auth)
        .send({ statusIds: [fresh, lost, won] })
        .then(check('put', '/api/v1/pipelines/{id}/statuses/order', 200));
      const contact = (await http.post('/api/v1/contacts').set(auth).send({ name: 'Piped' }).expect(201)).body.id;
      const status = `/api/v1/contacts/${contact}/pipelines/${id}/status`;
      await http
        .get(status)
        .set(auth)
        .then(check('get', '/api/v1/contacts/{id}/pipelines/{pipelineId}/status', 404));
      await http
        .put(status)
        .set(auth)
        .send({ statusId: fresh })
        .then(check('put', '/api/v1/contacts/{id}/pipelines/{pipelineId}/status', 200));
      await http
        .put(status)
        .set(auth)
        .send({ statusId: lost })
        .then(check('put', '/api/v1/contacts/{id}/pipelines/{pipelineId}/status', 409));
      await http
        .put(status)
        .set(auth)
        .send({ statusId: won })
        .then(check('put', '/api/v1/contacts/{id}/pipelines/{pipelineId}/status', 200));
      await http
        .get(status)
        .set(auth)
        .then(check('get', '/api/v1/contacts/{id}/pipelines/{pipelineId}/status', 200));
      await http
        .get(`/api/v1/contacts/${contact}/pipelines/${id}/history`)
        .set(auth)
        .then(check('get', '/api/v1/contacts/{id}/pipelines/{pipelineId}/history', 200));
      await http
        .get(`/api/v1/pipelines/${id}/board?limit=1`)
        .set(auth)
        .then(check('get', '/api/v1/pipelines/{id}/board', 200));
      await http
        .get(`/api/v1/pipelines/${id}/statuses/${won}/contacts`)
        .set(auth)
        .then(check('get', '/api/v1/pipelines/{id}/statuses/{statusId}/contacts', 200));
      await http
        .delete(`/api/v1/pipelines/${id}/statuses/${won}`)
        .set(auth)
        .then(check('delete', '/api/v1/pipelines/{id}/statuses/{statusId}', 409));
      await http
        .delete(`/api/v1/pipelines/${id}/statuses/${lost}`)
        .set(auth)
        .then(check('delete', '/api/v1/pipelines/{id}/statuses/{statusId}', 204));
      await http
        .delete(`/api/v1/pipelines/${id}`)
        .set(auth)
        .then(check('delete', '/api/v1/pipelines/{id}', 204));
      await http
        .post(`/api/v1/pipelines/${id}/restore`)
        .set(auth)
        .then(check('post', '/api/v1/pipelines/{id}/restore', 200));

      const notes = `/api/v1/contacts/${contact}/notes`;
      const note = await http
        .post(notes)
        .set(auth)
        .send({ text: 'Call back', pinned: true })
        .then(check('post', '/api/v1/contacts/{id}/notes', 201));
      await http
        .post(notes)
        .set(auth)
        .send({ text: '' })
        .then(check('post', '/api/v1/contacts/{id}/notes', 400));
      await http
        .get(notes)
        .set(auth)
        .then(check('get', '/api/v1/contacts/{id}/notes', 200));
      await http
        .get(`${notes}/${note.body.id}`)
        .set(auth)
        .then(check('get', '/api/v1/contacts/{id}/notes/{noteId}', 200));
      await http
        .patch(`${notes}/${note.body.id}`)
        .set(auth)
        .send({ pinned: false })
        .then(check('patch', '/api/v1/contacts/{id}/notes/{noteId}', 200));
      await http
        .delete(`${notes}/${note.body.id}`)
        .set(auth)
        .set('If-Match', '"1"')
        .then(check('delete', '/api/v1/contacts/{id}/notes/{noteId}', 412));
      await http
        .delete(`${notes}/${note.body.id}`)
        .set(auth)
        .then(check('delete', '/api/v1/contacts/{id}/notes/{noteId}', 204));
      await http
        .get(`${notes}/${note.body.id}`)
        .set(auth)
        .then(check('get', '/api/v1/contacts/{id}/notes/{noteId}', 404));
    });
  });
});
