import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { eventually, registerTenant, startTestApp, TestApp } from './support/test-app';

describe('agents: provisioned from identity events', () => {
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
});
