import type { Response } from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { Tenant, eventually } from '../support/test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export function expectProblem(res: Response, status: number, code?: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code: code ?? res.body?.code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}

export async function createContact(http: TestAgent, a: Tenant, name: string): Promise<string> {
  const res = await http.post('/api/v1/contacts').set(a.auth).send({ name });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** A pipeline with the statuses New, Qualified, Won and Lost; returns it and its status ids by name. */
export async function createPipeline(
  http: TestAgent,
  a: Tenant,
  name = 'Sales',
): Promise<{ pipeline: Json; status: Record<string, string> }> {
  const res = await http
    .post('/api/v1/pipelines')
    .set(a.auth)
    .send({
      name,
      statuses: [
        { name: 'New', type: 'open' },
        { name: 'Qualified', type: 'active' },
        { name: 'Won', type: 'closed', color: '#43a047' },
        { name: 'Lost', type: 'closed' },
      ],
    });
  expect(res.status).toBe(201);
  return { pipeline: res.body, status: Object.fromEntries(res.body.statuses.map((s: Json) => [s.name, s.id])) };
}

export function move(http: TestAgent, a: Tenant, contactId: string, pipelineId: string, statusId: string) {
  return http.put(`/api/v1/contacts/${contactId}/pipelines/${pipelineId}/status`).set(a.auth).send({ statusId });
}

/** The contact's timeline once it holds at least `count` entries of the given types. */
export function timelineOf(http: TestAgent, a: Tenant, contactId: string, types: string[], count: number): Promise<Json[]> {
  return eventually(async () => {
    const res = await http.get(`/api/v1/contacts/${contactId}/timeline?limit=200`).set(a.auth);
    const entries = (res.body.data ?? []).filter((e: Json) => types.includes(e.type));
    return entries.length >= count ? entries : undefined;
  });
}
