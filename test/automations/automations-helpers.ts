import { Client } from 'pg';
import TestAgent from 'supertest/lib/agent';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { Tenant } from '../support/test-app';

/** The owner's connection, for reading what happened across tenants (and moving timers forward in time). */
export async function adminClient(): Promise<Client> {
  const client = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
  await client.connect();
  return client;
}

export async function createAutomation(http: TestAgent, tenant: Tenant, body: object): Promise<{ id: string; version: number }> {
  const res = await http.post('/api/v1/automations').set(tenant.auth).send(body);
  if (res.status !== 201) throw new Error(`automation not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createContact(http: TestAgent, tenant: Tenant, body: object): Promise<string> {
  const res = await http.post('/api/v1/contacts').set(tenant.auth).send(body);
  if (res.status !== 201) throw new Error(`contact not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export interface ExecutionRow {
  automation_id: string;
  event_id: string;
  event_type: string;
  contact_id: string | null;
  depth: number;
  status: string;
  actions: { index: number; type: string; status: string; error?: string; result?: Record<string, string> }[];
}

export async function executionsOf(admin: Client, automationIds: string[]): Promise<ExecutionRow[]> {
  const { rows } = await admin.query<ExecutionRow>(
    `SELECT automation_id, event_id, event_type, contact_id, depth, status, actions FROM automation_executions
      WHERE automation_id = ANY($1) ORDER BY created_at, id`,
    [automationIds],
  );
  return rows;
}

/** The contact's events in the outbox, oldest first. */
export async function contactEvents(
  admin: Client,
  contactId: string,
): Promise<{ event_type: string; event_data: Record<string, unknown>; metadata: Record<string, unknown> }[]> {
  const { rows } = await admin.query(
    `SELECT event_type, event_data, metadata FROM outbox_events WHERE aggregate_id = $1 ORDER BY sequence`,
    [contactId],
  );
  return rows;
}
