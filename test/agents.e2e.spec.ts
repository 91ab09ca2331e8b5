import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

describe('agents: provisioned from identity events, managed through /agents', () => {
  let t: TestApp;
  let owner: Client;

  beforeAll(async () => {
    t = await startTestApp();
    owner = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await t?.close();
  });

  const agentsOf = async (projectId: string) =>
    (await owner.query(`SELECT type, name, user_id, active, tenant_id FROM agents WHERE project_id = $1 ORDER BY type, name`, [projectId]))
      .rows;

  it("seeds a registered project's system agents and its first admin's agent, once", async () => {
    const a = await registerTenant(t.http, 'agents-a');
    const rows = await eventually(async () => {
      const r = await agentsOf(a.projectId);
      return r.length === 3 ? r : undefined;
    });
    const { rows: users } = await owner.query(`SELECT user_id FROM project_members WHERE project_id = $1`, [a.projectId]);
    expect(rows).toEqual([
      { type: 'human', name: 'agents-a owner', user_id: users[0].user_id, active: true, tenant_id: a.tenantId },
      { type: 'system', name: 'API', user_id: null, active: true, tenant_id: a.tenantId },
      { type: 'system', name: 'System', user_id: null, active: true, tenant_id: a.tenantId },
    ]);
    // what makes a redelivery a no-op: one agent per member and per system name
    await expect(
      owner.query(`INSERT INTO agents (id, tenant_id, project_id, type, name) VALUES (gen_random_uuid(), $1, $2, 'system', 'API')`, [
        a.tenantId,
        a.projectId,
      ]),
    ).rejects.toThrow(/uq_agents_system/);
  });

  describe('/agents', () => {
    let a: Tenant;
    let b: Tenant;
    let ownerAgent: { id: string; version: number };
    beforeAll(async () => {
      a = await registerTenant(t.http, 'agents-crud-a');
      b = await registerTenant(t.http, 'agents-crud-b');
      const humans = await eventually(async () => {
        const res = await t.http.get('/api/v1/agents?type=human').set(a.auth).expect(200);
        return res.body.data.length === 1 ? res.body.data : undefined;
      });
      ownerAgent = humans[0];
    });
    const system = async (tenant: Tenant, name: string) =>
      eventually(async () => {
        const res = await t.http.get('/api/v1/agents?type=system').set(tenant.auth).expect(200);
        return (res.body.data as { id: string; name: string; version: number }[]).find((x) => x.name === name);
      });

    it("names a member's agent after the user, with their email", async () => {
      expect(ownerAgent).toMatchObject({
        type: 'human',
        name: 'agents-crud-a owner',
        email: a.email.toLowerCase(),
        userId: a.userId,
        active: true,
      });
    });

    it('creates, reads, lists (filters, keyset pages), changes with If-Match or version, deletes and restores an agent', async () => {
      const created = await t.http
        .post('/api/v1/agents')
        .set(a.auth)
        .send({ type: 'ai', name: '  Assistant ', email: 'Bot@Example.com', config: { model: 'small' } })
        .expect(201);
      expect(created.body).toMatchObject({
        type: 'ai',
        name: 'Assistant',
        email: 'bot@example.com',
        userId: null,
        active: true,
        config: { model: 'small' },
        deletedAt: null,
        version: 1,
      });
      expect(created.headers.etag).toBe('"1"');
      const id = created.body.id as string;
      expect((await t.http.get(`/api/v1/agents/${id}`).set(a.auth).expect(200)).body).toEqual(created.body);
      const idle = (await t.http.post('/api/v1/agents').set(a.auth).send({ type: 'bot', name: 'Idle bot', active: false }).expect(201))
        .body;

      const ai = await t.http.get('/api/v1/agents?type=ai').set(a.auth).expect(200);
      expect(ai.body.data.map((x: { id: string }) => x.id)).toEqual([id]);
      const inactive = await t.http.get('/api/v1/agents?active=false').set(a.auth).expect(200);
      expect(inactive.body.data.map((x: { id: string }) => x.id)).toEqual([idle.id]);
      const all = await t.http.get('/api/v1/agents?active=true').set(a.auth).expect(200);
      expect(all.body.data).toHaveLength(4); // System, API, the owner's, the assistant
      const page1 = await t.http.get('/api/v1/agents?limit=2').set(a.auth).expect(200);
      const page2 = await t.http.get(`/api/v1/agents?limit=2&cursor=${page1.body.nextCursor}`).set(a.auth).expect(200);
      const paged = [...page1.body.data, ...page2.body.data].map((x: { id: string }) => x.id);
      expect(new Set(paged).size).toBe(4);
      expect(paged[2] > paged[1]).toBe(true);
      await t.http.get('/api/v1/agents?type=robot').set(a.auth).expect(400);
      await t.http.get('/api/v1/agents?active=yes').set(a.auth).expect(400);

      const stale = await t.http.patch(`/api/v1/agents/${id}`).set(a.auth).set('If-Match', '"2"').send({ name: 'Late' }).expect(412);
      expect(stale.body.code).toBe('precondition_failed');
      const conflict = await t.http.patch(`/api/v1/agents/${id}`).set(a.auth).send({ name: 'Late', version: 2 }).expect(409);
      expect(conflict.body.code).toBe('version_conflict');
      const changed = await t.http
        .patch(`/api/v1/agents/${id}`)
        .set(a.auth)
        .set('If-Match', '"1"')
        .send({ name: 'Night assistant', active: false, email: null })
        .expect(200);
      expect(changed.body).toMatchObject({ name: 'Night assistant', active: false, email: null, version: 2 });
      expect(changed.headers.etag).toBe('"2"');
      const updated = await owner.query(`SELECT event_data FROM outbox_events WHERE aggregate_id = $1 AND event_type = 'agent.updated'`, [
        id,
      ]);
      expect(updated.rows[0].event_data).toEqual({ changes: { name: 'Night assistant', active: false, email: null } });

      await t.http.delete(`/api/v1/agents/${id}`).set(a.auth).set('If-Match', '"1"').expect(412);
      await t.http.delete(`/api/v1/agents/${id}`).set(a.auth).set('If-Match', '"2"').expect(204);
      await t.http.get(`/api/v1/agents/${id}`).set(a.auth).expect(404);
      await t.http.patch(`/api/v1/agents/${id}`).set(a.auth).send({ name: 'x' }).expect(404);
      const deleted = await t.http.get('/api/v1/agents?deleted=true').set(a.auth).expect(200);
      expect(deleted.body.data.map((x: { id: string }) => x.id)).toEqual([id]);
      const restored = await t.http.post(`/api/v1/agents/${id}/restore`).set(a.auth).expect(200);
      expect(restored.body).toMatchObject({ id, deletedAt: null, version: 4 });
      await t.http.post(`/api/v1/agents/${id}/restore`).set(a.auth).expect(404);
      const events = await owner.query(`SELECT event_type FROM outbox_events WHERE aggregate_id = $1 ORDER BY sequence`, [id]);
      expect(events.rows.map((e) => e.event_type)).toEqual(['agent.created', 'agent.updated', 'agent.deleted', 'agent.restored']);

      // another tenant sees none of it
      await t.http.get(`/api/v1/agents/${id}`).set(b.auth).expect(404);
      expect((await t.http.get('/api/v1/agents').set(b.auth).expect(200)).body.data.map((x: { id: string }) => x.id)).not.toContain(id);
    });

    it('refuses system agents to be created (400), changed, deleted or restored (409 problem+json)', async () => {
      const bad = await t.http.post('/api/v1/agents').set(a.auth).send({ type: 'system', name: 'System' }).expect(400);
      expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
      const api = await system(a, 'API');
      for (const req of [
        t.http.patch(`/api/v1/agents/${api.id}`).set(a.auth).send({ name: 'Renamed' }),
        t.http.patch(`/api/v1/agents/${api.id}`).set(a.auth).set('If-Match', `"${api.version}"`).send({ active: false }),
        t.http.delete(`/api/v1/agents/${api.id}`).set(a.auth),
        t.http.post(`/api/v1/agents/${api.id}/restore`).set(a.auth),
      ]) {
        const res = await req.expect(409);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('agent.system');
      }
      expect(await system(a, 'API')).toMatchObject({ name: 'API', active: true, version: api.version });
    });

    it("keeps a user's agent theirs: no re-link, no second agent, only members, only humans", async () => {
      const relink = await t.http.patch(`/api/v1/agents/${ownerAgent.id}`).set(a.auth).send({ userId: b.userId }).expect(409);
      expect(relink.body.code).toBe('agent.user_relink');
      const second = await t.http.post('/api/v1/agents').set(a.auth).send({ type: 'human', name: 'Twin', userId: a.userId }).expect(409);
      expect(second.body.code).toBe('agent.user_taken');
      const stranger = await t.http
        .post('/api/v1/agents')
        .set(a.auth)
        .send({ type: 'human', name: 'Stranger', userId: b.userId })
        .expect(400);
      expect(stranger.body.code).toBe('agent.user_not_member');
      const aiUser = await t.http.post('/api/v1/agents').set(a.auth).send({ type: 'ai', name: 'AI', userId: a.userId }).expect(400);
      expect(aiUser.body.code).toBe('agent.user_not_human');
      // an unlinked human agent links to a member who has none, and not to one who has
      const outsider = (await t.http.post('/api/v1/agents').set(a.auth).send({ type: 'human', name: 'Outside help' }).expect(201)).body;
      const taken = await t.http.patch(`/api/v1/agents/${outsider.id}`).set(a.auth).send({ userId: a.userId }).expect(409);
      expect(taken.body.code).toBe('agent.user_taken');
      expect((await t.http.get(`/api/v1/agents/${ownerAgent.id}`).set(a.auth).expect(200)).body.userId).toBe(a.userId);
      await t.http.post('/api/v1/agents').set(a.auth).send({ type: 'ai' }).expect(400);
      await t.http.post('/api/v1/agents').set(a.auth).send({ type: 'ai', name: 'x', unknown: 1 }).expect(400);
      await t.http.get('/api/v1/agents/not-a-uuid').set(a.auth).expect(400);
    });
  });
});
