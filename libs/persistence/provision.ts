import { Client } from 'pg';
import { APP_ROLE, PgTarget, SERVICE_ROLE, toClientConfig } from './connection-options';

/**
 * Makes the database and the two roles the migrations expect, given an owner that may create roles.
 * Idempotent: safe on every start.
 */
export async function provisionDatabase(owner: PgTarget, appPassword: string): Promise<void> {
  const admin = new Client(toClientConfig({ ...owner, database: 'postgres' }));
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [owner.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${quoteIdent(owner.database)}`);
  } finally {
    await admin.end();
  }

  const db = new Client(toClientConfig(owner));
  await db.connect();
  try {
    // Roles are cluster-wide: several databases (tests) may race to create them.
    await db.query(`SELECT pg_advisory_lock(hashtext('crm_provision_roles'))`);
    try {
      await ensureRole(
        db,
        APP_ROLE,
        `LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD ${quoteLiteral(appPassword)}`,
      );
      await ensureRole(db, SERVICE_ROLE, 'NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE');
      const { rows } = await db.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
      // The owner hands functions to the service role, which needs membership unless it is a superuser.
      if (!rows[0]?.rolsuper) await db.query(`GRANT ${SERVICE_ROLE} TO current_user`);
    } finally {
      await db.query(`SELECT pg_advisory_unlock(hashtext('crm_provision_roles'))`);
    }
    await db.query(`GRANT CONNECT ON DATABASE ${quoteIdent(owner.database)} TO ${APP_ROLE}`);
  } finally {
    await db.end();
  }
}

async function ensureRole(db: Client, name: string, options: string): Promise<void> {
  const found = await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  await db.query(`${found.rowCount === 0 ? 'CREATE' : 'ALTER'} ROLE ${name} ${options}`);
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
