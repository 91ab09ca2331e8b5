import { TransactionRunner } from '#persistence/transaction-runner';
import { PIPELINES_API, PipelinesApi } from '../../src/contexts/pipelines/pipelines.api';
import { Tenant, TestApp, eventually, registerTenant, startTestApp } from '../support/test-app';
import { Json, createContact, createPipeline, expectProblem, move, timelineOf } from './pipelines-helpers';

describe('pipelines', () => {
  let t: TestApp;
  let a: Tenant;
  beforeAll(async () => {
    t = await startTestApp();
    a = await registerTenant(t.http, 'pipelines');
  });
  afterAll(() => t.close());

  it('creates a pipeline with its statuses (ids, positions), changes it with If-Match, deletes and restores it', async () => {
    const { http } = t;
    const created = await http
      .post('/api/v1/pipelines')
      .set(a.auth)
      .send({
        name: ' Sales ',
        description: 'Inbound leads',
        color: '#1e88e5',
        sessionTimeoutMinutes: 45,
        statuses: [
          { name: 'New', type: 'open' },
          { name: 'Won', type: 'closed', color: '#43a047' },
        ],
      });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'Sales',
      description: 'Inbound leads',
      color: '#1e88e5',
      sessionTimeoutMinutes: 45,
      statuses: [
        { id: expect.any(String), name: 'New', type: 'open', color: null, position: 0, allowedNext: null },
        { id: expect.any(String), name: 'Won', type: 'closed', color: '#43a047', position: 1, allowedNext: null },
      ],
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      deletedAt: null,
    });
    const id = created.body.id;
    expect((await http.get(`/api/v1/pipelines/${id}`).set(a.auth)).body).toEqual(created.body);
    expect((await http.get('/api/v1/pipelines').set(a.auth)).body.data.map((p: Json) => p.id)).toContain(id);

    const changed = await http
      .patch(`/api/v1/pipelines/${id}`)
      .set(a.auth)
      .set('If-Match', '"1"')
      .send({ name: 'Deals', sessionTimeoutMinutes: null });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).toBe('"2"');
    expect(changed.body).toMatchObject({ name: 'Deals', sessionTimeoutMinutes: null, description: 'Inbound leads', version: 2 });
    expectProblem(await http.patch(`/api/v1/pipelines/${id}`).set(a.auth).set('If-Match', '"1"').send({ name: 'Stale' }), 412);
    expectProblem(await http.patch(`/api/v1/pipelines/${id}`).set(a.auth).send({ name: 'Stale', version: 1 }), 409, 'version_conflict');
    expectProblem(await http.patch(`/api/v1/pipelines/${id}`).set(a.auth).send({ sessionTimeoutMinutes: 0 }), 400);
    expectProblem(
      await http
        .post('/api/v1/pipelines')
        .set(a.auth)
        .send({ name: 'x', statuses: [{ name: 'A', type: 'won' }] }),
      400,
    );
    expectProblem(
      await http
        .post('/api/v1/pipelines')
        .set(a.auth)
        .send({
          name: 'x',
          statuses: [
            { name: 'A', type: 'open' },
            { name: ' a ', type: 'open' },
          ],
        }),
      409,
      'pipeline_status.duplicate_name',
    );

    expect((await http.delete(`/api/v1/pipelines/${id}`).set(a.auth).set('If-Match', '"2"')).status).toBe(204);
    expectProblem(await http.get(`/api/v1/pipelines/${id}`).set(a.auth), 404, 'pipeline.not_found');
    expectProblem(await http.get(`/api/v1/pipelines/${id}/board`).set(a.auth), 404, 'pipeline.not_found');
    expect((await http.get('/api/v1/pipelines').set(a.auth)).body.data.map((p: Json) => p.id)).not.toContain(id);
    expect((await http.get('/api/v1/pipelines?deleted=true').set(a.auth)).body.data.map((p: Json) => p.id)).toContain(id);
    const restored = await http.post(`/api/v1/pipelines/${id}/restore`).set(a.auth);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id, version: 4, deletedAt: null });
    expectProblem(await http.post(`/api/v1/pipelines/${id}/restore`).set(a.auth), 404);
  });

  it('adds, renames, reorders and removes statuses; names stay unique per pipeline', async () => {
    const { http } = t;
    const { pipeline, status } = await createPipeline(http, a);
    const id = pipeline.id;
    const added = await http.post(`/api/v1/pipelines/${id}/statuses`).set(a.auth).send({ name: 'Contacted', type: 'active', position: 1 });
    expect(added.status).toBe(201);
    expect(added.headers.etag).toBe('"2"');
    expect(added.body.statuses.map((s: Json) => [s.name, s.position])).toEqual([
      ['New', 0],
      ['Contacted', 1],
      ['Qualified', 2],
      ['Won', 3],
      ['Lost', 4],
    ]);
    const contacted = added.body.statuses[1].id;
    expectProblem(
      await http.post(`/api/v1/pipelines/${id}/statuses`).set(a.auth).send({ name: 'won', type: 'closed' }),
      409,
      'pipeline_status.duplicate_name',
    );
    expectProblem(
      await http.patch(`/api/v1/pipelines/${id}/statuses/${contacted}`).set(a.auth).send({ name: 'QUALIFIED' }),
      409,
      'pipeline_status.duplicate_name',
    );
    const renamed = await http
      .patch(`/api/v1/pipelines/${id}/statuses/${contacted}`)
      .set(a.auth)
      .set('If-Match', '"2"')
      .send({ name: 'Reached', color: '#fb8c00' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.statuses[1]).toMatchObject({ id: contacted, name: 'Reached', color: '#fb8c00', type: 'active' });
    expectProblem(
      await http.patch(`/api/v1/pipelines/${id}/statuses/${contacted}`).set(a.auth).set('If-Match', '"2"').send({ name: 'x' }),
      412,
    );

    const order = [status.Lost, status.Won, contacted, status.Qualified, status.New];
    const reordered = await http.put(`/api/v1/pipelines/${id}/statuses/order`).set(a.auth).send({ statusIds: order });
    expect(reordered.status).toBe(200);
    expect(reordered.body.statuses.map((s: Json) => s.id)).toEqual(order);
    expect(reordered.body.statuses.map((s: Json) => s.position)).toEqual([0, 1, 2, 3, 4]);
    expectProblem(
      await http
        .put(`/api/v1/pipelines/${id}/statuses/order`)
        .set(a.auth)
        .send({ statusIds: order.slice(1) }),
      400,
      'pipeline_status.invalid_order',
    );

    // A status with a contact in it stays; once empty it goes, and leaves every allowedNext.
    const contact = await createContact(http, a, 'Remover');
    await http
      .patch(`/api/v1/pipelines/${id}/statuses/${status.New}`)
      .set(a.auth)
      .send({ allowedNext: [contacted, status.Lost] })
      .expect(200);
    expect((await move(http, a, contact, id, contacted)).status).toBe(200);
    expectProblem(await http.delete(`/api/v1/pipelines/${id}/statuses/${contacted}`).set(a.auth), 409, 'pipeline_status.not_empty');
    expect((await move(http, a, contact, id, status.Won)).status).toBe(200);
    expect((await http.delete(`/api/v1/pipelines/${id}/statuses/${contacted}`).set(a.auth)).status).toBe(204);
    const after = (await http.get(`/api/v1/pipelines/${id}`).set(a.auth)).body;
    expect(after.statuses.map((s: Json) => [s.name, s.position])).toEqual([
      ['Lost', 0],
      ['Won', 1],
      ['Qualified', 2],
      ['New', 3],
    ]);
    expect(after.statuses.find((s: Json) => s.id === status.New).allowedNext).toEqual([status.Lost]);
    expectProblem(await move(http, a, contact, id, contacted), 409, 'pipeline_status.deleted');
    expectProblem(await http.delete(`/api/v1/pipelines/${id}/statuses/${contacted}`).set(a.auth), 404, 'pipeline_status.not_found');
    // The history still names the removed status.
    const history = (await http.get(`/api/v1/contacts/${contact}/pipelines/${id}/history`).set(a.auth)).body.data;
    expect(history.map((h: Json) => h.statusName)).toEqual(['Reached', 'Won']);
  });

  it('enforces transitions: a move outside the status’s allowedNext is refused with 409', async () => {
    const { http } = t;
    const { pipeline, status } = await createPipeline(http, a);
    const id = pipeline.id;
    const set = await http
      .patch(`/api/v1/pipelines/${id}/statuses/${status.New}`)
      .set(a.auth)
      .send({ allowedNext: [status.Qualified, status.Lost, status.New] });
    expect(set.status).toBe(200);
    // Its own id is dropped: staying put is never a transition.
    expect(set.body.statuses[0].allowedNext).toEqual([status.Qualified, status.Lost]);
    await http.patch(`/api/v1/pipelines/${id}/statuses/${status.Won}`).set(a.auth).send({ allowedNext: [] }).expect(200);
    expectProblem(
      await http
        .patch(`/api/v1/pipelines/${id}/statuses/${status.New}`)
        .set(a.auth)
        .send({ allowedNext: ['01a21290-0000-7000-8000-0000000000aa'] }),
      400,
      'pipeline_status.unknown',
    );

    const contact = await createContact(http, a, 'Mover');
    // Entering may start anywhere.
    expect((await move(http, a, contact, id, status.New)).body).toMatchObject({ statusId: status.New, statusName: 'New', version: 1 });
    const refused = await move(http, a, contact, id, status.Won);
    expectProblem(refused, 409, 'pipeline_status.transition_not_allowed');
    expect(refused.body.detail).toBe('A contact in "New" cannot move to "Won"');
    expect((await move(http, a, contact, id, status.New)).body.version).toBe(1); // staying put changes nothing
    expect((await move(http, a, contact, id, status.Qualified)).status).toBe(200);
    expect((await move(http, a, contact, id, status.Won)).status).toBe(200); // Qualified allows any
    expectProblem(await move(http, a, contact, id, status.Lost), 409, 'pipeline_status.transition_not_allowed'); // Won is final
    // Clearing the list (null) allows any move again.
    await http.patch(`/api/v1/pipelines/${id}/statuses/${status.Won}`).set(a.auth).send({ allowedNext: null }).expect(200);
    expect((await move(http, a, contact, id, status.Lost)).status).toBe(200);
  });

  it('records entered and exited times and durations, raises the events, and shows them on the contact timeline', async () => {
    const { http } = t;
    const { pipeline, status } = await createPipeline(http, a);
    const id = pipeline.id;
    const contact = await createContact(http, a, 'Historian');
    const entered = await move(http, a, contact, id, status.New);
    expect(entered.status).toBe(200);
    expect(entered.headers.etag).toBe('"1"');
    expect(entered.body).toEqual({
      contactId: contact,
      pipelineId: id,
      statusId: status.New,
      statusName: 'New',
      enteredAt: expect.any(String),
      version: 1,
    });
    await new Promise((r) => setTimeout(r, 120));
    await move(http, a, contact, id, status.Qualified).expect(200);
    await new Promise((r) => setTimeout(r, 60));
    const won = await http
      .put(`/api/v1/contacts/${contact}/pipelines/${id}/status`)
      .set(a.auth)
      .set('If-Match', '"2"')
      .send({ statusId: status.Won });
    expect(won.body).toMatchObject({ statusId: status.Won, version: 3 });
    expectProblem(
      await http
        .put(`/api/v1/contacts/${contact}/pipelines/${id}/status`)
        .set(a.auth)
        .set('If-Match', '"2"')
        .send({ statusId: status.Lost }),
      412,
    );
    expect((await http.get(`/api/v1/contacts/${contact}/pipelines/${id}/status`).set(a.auth)).body).toEqual(won.body);

    const history = (await http.get(`/api/v1/contacts/${contact}/pipelines/${id}/history`).set(a.auth)).body.data as Json[];
    expect(history.map((h) => h.statusName)).toEqual(['New', 'Qualified', 'Won']);
    const [first, second, third] = history;
    expect(first.durationMs).toBeGreaterThanOrEqual(120);
    expect(first.durationMs).toBe(Date.parse(first.exitedAt) - Date.parse(first.enteredAt));
    expect(second.enteredAt).toBe(first.exitedAt);
    expect(second.durationMs).toBeGreaterThanOrEqual(60);
    expect(third).toMatchObject({ enteredAt: second.exitedAt, exitedAt: null, durationMs: null });
    const page = await http.get(`/api/v1/contacts/${contact}/pipelines/${id}/history?limit=2`).set(a.auth);
    const next = await http.get(`/api/v1/contacts/${contact}/pipelines/${id}/history?limit=2&cursor=${page.body.nextCursor}`).set(a.auth);
    expect([...page.body.data, ...next.body.data]).toEqual(history);
    expect(next.body.nextCursor).toBeNull();

    const timeline = await timelineOf(http, a, contact, ['contact.entered_pipeline', 'contact.pipeline_status_changed'], 3);
    expect(timeline.map((e) => [e.type, e.category, e.title])).toEqual([
      ['contact.entered_pipeline', 'pipelines', 'Entered a pipeline in New'],
      ['contact.pipeline_status_changed', 'pipelines', 'Moved from New to Qualified'],
      ['contact.pipeline_status_changed', 'pipelines', 'Moved from Qualified to Won'],
    ]);
    expect(timeline[1].payload).toEqual({
      contactId: contact,
      pipelineId: id,
      from: { statusId: status.New, name: 'New' },
      to: { statusId: status.Qualified, name: 'Qualified' },
      durationMs: first.durationMs,
    });
    expect(timeline[0].source).toBe('api');
  });

  it('refuses moves of a missing contact, into another pipeline’s status, a removed status or a deleted pipeline', async () => {
    const { http } = t;
    const { pipeline, status } = await createPipeline(http, a);
    const other = await createPipeline(http, a, 'Other');
    const id = pipeline.id;
    const contact = await createContact(http, a, 'Refused');
    expectProblem(await move(http, a, '01a21290-0000-7000-8000-0000000000ab', id, status.New), 404, 'contact.not_found');
    expectProblem(await move(http, a, contact, '01a21290-0000-7000-8000-0000000000ab', status.New), 404, 'pipeline.not_found');
    expectProblem(await move(http, a, contact, id, other.status.New), 404, 'pipeline_status.not_found');
    expectProblem(await http.put(`/api/v1/contacts/${contact}/pipelines/${id}/status`).set(a.auth).send({ statusId: 'new' }), 400);
    expectProblem(await http.get(`/api/v1/contacts/${contact}/pipelines/${id}/status`).set(a.auth), 404, 'contact_pipeline.not_found');

    await http.delete(`/api/v1/pipelines/${id}/statuses/${status.Lost}`).set(a.auth).expect(204);
    expectProblem(await move(http, a, contact, id, status.Lost), 409, 'pipeline_status.deleted');
    await move(http, a, contact, id, status.New).expect(200);
    await http.delete(`/api/v1/pipelines/${id}`).set(a.auth).expect(204);
    expectProblem(await move(http, a, contact, id, status.Won), 409, 'pipeline.deleted');
    await http.post(`/api/v1/pipelines/${id}/restore`).set(a.auth).expect(200);
    await move(http, a, contact, id, status.Won).expect(200);

    // A deleted contact cannot be moved.
    await http.delete(`/api/v1/contacts/${contact}`).set(a.auth).expect(204);
    expectProblem(await move(http, a, contact, id, status.New), 404, 'contact.not_found');
  });

  it('serializes concurrent moves of one contact: every move is applied once, in some order, with one open entry', async () => {
    const { http } = t;
    const { pipeline, status } = await createPipeline(http, a);
    const id = pipeline.id;
    const contact = await createContact(http, a, 'Racer');
    const targets = Array.from({ length: 16 }, (_, i) => [status.New, status.Qualified, status.Won, status.Lost][i % 4]);
    const results = await Promise.all(targets.map((statusId) => move(http, a, contact, id, statusId)));
    expect(results.map((r) => r.status)).toEqual(targets.map(() => 200));

    const history = (await http.get(`/api/v1/contacts/${contact}/pipelines/${id}/history?limit=200`).set(a.auth)).body.data as Json[];
    expect(history.filter((h) => h.exitedAt === null)).toHaveLength(1);
    for (let i = 1; i < history.length; i++) {
      expect(history[i].enteredAt).toBe(history[i - 1].exitedAt);
      expect(history[i].statusId).not.toBe(history[i - 1].statusId);
    }
    const current = (await http.get(`/api/v1/contacts/${contact}/pipelines/${id}/status`).set(a.auth)).body;
    expect(current.statusId).toBe(history.at(-1)!.statusId);
    // One version per applied move; a move to the status it was already in applies nothing.
    expect(current.version).toBe(history.length);
    const board = (await http.get(`/api/v1/pipelines/${id}/board`).set(a.auth)).body;
    expect(board.statuses.map((s: Json) => s.contactCount).reduce((x: number, y: number) => x + y, 0)).toBe(1);
    // The database holds it too: exactly one open entry of the contact.
    const open = await t.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [a.tenantId]);
      return m.query(`SELECT count(*)::int AS n FROM contact_pipeline_statuses WHERE contact_id = $1 AND exited_at IS NULL`, [contact]);
    });
    expect(open[0].n).toBe(1);
  });

  it('counts and pages the board per status after many moves', async () => {
    const { http } = t;
    const { pipeline, status } = await createPipeline(http, a);
    const id = pipeline.id;
    const names = ['New', 'Qualified', 'Won', 'Lost'];
    const contacts = await Promise.all(Array.from({ length: 24 }, (_, i) => createContact(http, a, `Board ${i}`)));
    const where = new Map<string, string>();
    // Three rounds of moves, every contact somewhere each round (a deterministic scatter).
    for (let round = 0; round < 3; round++) {
      for (const [i, contact] of contacts.entries()) {
        const target = names[(i * (round + 1) + round) % names.length];
        await move(http, a, contact, id, status[target]).expect(200);
        where.set(contact, target);
      }
    }
    const expected = Object.fromEntries(names.map((n) => [n, [...where.values()].filter((w) => w === n).length]));
    const board = await http.get(`/api/v1/pipelines/${id}/board?limit=3`).set(a.auth);
    expect(board.status).toBe(200);
    expect(board.body.statuses.map((s: Json) => s.name)).toEqual(names);
    expect(Object.fromEntries(board.body.statuses.map((s: Json) => [s.name, s.contactCount]))).toEqual(expected);

    for (const column of board.body.statuses as Json[]) {
      const seen: Json[] = [...column.contacts];
      expect(column.contacts.length).toBe(Math.min(3, column.contactCount));
      let cursor = column.nextCursor;
      while (cursor) {
        const page = await http.get(`/api/v1/pipelines/${id}/statuses/${column.id}/contacts?limit=3&cursor=${cursor}`).set(a.auth);
        expect(page.status).toBe(200);
        seen.push(...page.body.data);
        cursor = page.body.nextCursor;
      }
      const ids = seen.map((c) => c.contactId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(
        [...where.entries()]
          .filter(([, w]) => w === column.name)
          .map(([c]) => c)
          .sort(),
      );
      // Longest in the status first.
      const times = seen.map((c) => Date.parse(c.enteredAt));
      expect(times).toEqual([...times].sort((x, y) => x - y));
    }
    // A deleted contact leaves the board (its count and pages) and comes back when restored.
    const [gone, goneStatus] = [...where.entries()][0];
    const column = async () =>
      (await http.get(`/api/v1/pipelines/${id}/board?limit=100`).set(a.auth)).body.statuses.find(
        (s: Json) => s.name === goneStatus,
      ) as Json;
    await http.delete(`/api/v1/contacts/${gone}`).set(a.auth).expect(204);
    await eventually(async () => (await column()).contactCount === expected[goneStatus] - 1);
    expect((await column()).contacts.map((c: Json) => c.contactId)).not.toContain(gone);
    await http.post(`/api/v1/contacts/${gone}/restore`).set(a.auth).expect(200);
    await eventually(async () => (await column()).contactCount === expected[goneStatus]);
    expect((await column()).contacts.map((c: Json) => c.contactId)).toContain(gone);
    expectProblem(
      await http.get(`/api/v1/pipelines/${id}/statuses/01a21290-0000-7000-8000-0000000000ab/contacts`).set(a.auth),
      404,
      'pipeline_status.not_found',
    );
    expectProblem(await http.get(`/api/v1/pipelines/${id}/board?limit=0`).set(a.auth), 400);
  });
});

describe('PipelinesApi (the port other contexts call)', () => {
  let t: TestApp;
  let a: Tenant;
  beforeAll(async () => {
    t = await startTestApp();
    a = await registerTenant(t.http, 'pipelines-api');
  });
  afterAll(() => t.close());

  it('moves a contact with the HTTP route’s rules and events, reads its status and the pipeline’s session timeout', async () => {
    const { http } = t;
    const api = t.app.get<PipelinesApi>(PIPELINES_API);
    const tx = t.app.get(TransactionRunner);
    const asA = <T>(fn: () => Promise<T>) => tx.runAsTenant(a.tenantId, fn);
    const { pipeline, status } = await createPipeline(http, a);
    const id = pipeline.id;
    const contact = await createContact(http, a, 'Ported');
    const input = { projectId: a.projectId, contactId: contact, pipelineId: id };

    expect(await asA(() => api.currentStatus(input))).toBeUndefined();
    await asA(() => api.moveContact({ ...input, statusId: status.New }));
    expect(await asA(() => api.currentStatus(input))).toEqual({ statusId: status.New, statusName: 'New' });
    await http
      .patch(`/api/v1/pipelines/${id}/statuses/${status.New}`)
      .set(a.auth)
      .send({ allowedNext: [status.Lost] })
      .expect(200);
    await expect(asA(() => api.moveContact({ ...input, statusId: status.Won }))).rejects.toMatchObject({
      code: 'pipeline_status.transition_not_allowed',
    });
    await asA(() => api.moveContact({ ...input, statusId: status.Lost }));
    const timeline = await timelineOf(http, a, contact, ['contact.entered_pipeline', 'contact.pipeline_status_changed'], 2);
    expect(timeline.map((e) => [e.type, e.source])).toEqual([
      ['contact.entered_pipeline', 'system'],
      ['contact.pipeline_status_changed', 'system'],
    ]);

    expect(await asA(() => api.sessionTimeoutMinutes({ projectId: a.projectId, pipelineId: id }))).toBeUndefined();
    await http.patch(`/api/v1/pipelines/${id}`).set(a.auth).send({ sessionTimeoutMinutes: 90 }).expect(200);
    expect(await asA(() => api.sessionTimeoutMinutes({ projectId: a.projectId, pipelineId: id }))).toBe(90);

    // Another tenant sees neither the pipeline nor the contact's place in it.
    const b = await registerTenant(http, 'pipelines-api-b');
    const asB = <T>(fn: () => Promise<T>) => tx.runAsTenant(b.tenantId, fn);
    expect(await asB(() => api.sessionTimeoutMinutes({ projectId: b.projectId, pipelineId: id }))).toBeUndefined();
    expect(await asB(() => api.currentStatus({ ...input, projectId: b.projectId }))).toBeUndefined();
    await expect(asB(() => api.moveContact({ ...input, projectId: b.projectId, statusId: status.Won }))).rejects.toMatchObject({
      code: 'contact.not_found',
    });
    await http.delete(`/api/v1/pipelines/${id}`).set(a.auth).expect(204);
    expect(await asA(() => api.sessionTimeoutMinutes({ projectId: a.projectId, pipelineId: id }))).toBeUndefined();
    expect(await asA(() => api.currentStatus(input))).toBeUndefined();
  });
});
