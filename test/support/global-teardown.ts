import './source-imports';
import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __CRM_PG__?: { stop?: () => Promise<void> } }).__CRM_PG__;
  if (server?.stop) return server.stop();
  // A server we were given: drop the suite's database, keep the server.
  const database = parseDatabaseUrl(process.env.DATABASE_URL!).database;
  const admin = new Client(toClientConfig(parseDatabaseUrl(process.env.CRM_TEST_ADMIN_URL!)));
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
}
