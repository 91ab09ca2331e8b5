import { Client } from 'pg';
import { APP_ROLE, AUTH_ROLE, PgTarget, RELAY_ROLE, SERVICE_ROLE, toClientConfig } from './connection-options';

/**
 * Makes the database and the four roles the migrations expect, given an owner that may create roles.
 * Idempotent: safe on every start.
 */
export async function provisionDatabase(
  owner: PgTarget,
  appPassword: string,
  relayPassword: string = appPassword,
  authPassword: string = appPassword,
): Promise<void> {
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
      // Attributes left out are PostgreSQL's defaults (NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE); naming them
      // in ALTER ROLE would need a superuser, so an existing role is checked instead.
      await ensureRole(db, APP_ROLE, `LOGIN NOINHERIT PASSWORD ${quoteLiteral(appPassword)}`, owner.user);
      await ensureRole(db, RELAY_ROLE, `LOGIN NOINHERIT PASSWORD ${quoteLiteral(relayPassword)}`, owner.user);
      await ensureRole(db, AUTH_ROLE, `LOGIN NOINHERIT PASSWORD ${quoteLiteral(authPassword)}`, owner.user);
      await ensureRole(db, SERVICE_ROLE, 'NOLOGIN', owner.user);
      // The owner hands functions to the service role, which needs membership unless it is a superuser.
      const { rows } = await db.query<{ member: boolean }>(`SELECT pg_has_role(current_user, $1, 'MEMBER') AS member`, [SERVICE_ROLE]);
      if (!rows[0].member) {
        await db.query(`GRANT ${SERVICE_ROLE} TO current_user`).catch((error: Error) => {
          throw new Error(
            `${owner.user} cannot join role ${SERVICE_ROLE} (${error.message}); as an administrator run: GRANT ${SERVICE_ROLE} TO ${owner.user}`,
            {
              cause: error,
            },
          );
        });
      }
    } finally {
      await db.query(`SELECT pg_advisory_unlock(hashtext('crm_provision_roles'))`);
    }
    await db.query(`GRANT CONNECT ON DATABASE ${quoteIdent(owner.database)} TO ${APP_ROLE}, ${RELAY_ROLE}, ${AUTH_ROLE}`);
  } finally {
    await db.end();
  }
}

async function ensureRole(db: Client, name: string, options: string, owner: string): Promise<void> {
  const found = await db.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
    'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1',
    [name],
  );
  const existing = found.rows[0];
  if (existing && (existing.rolsuper || existing.rolbypassrls)) {
    throw new Error(`role ${name} exists as SUPERUSER or BYPASSRLS; RLS would not hold for it. ALTER ROLE ${name} NOSUPERUSER NOBYPASSRLS`);
  }
  await db.query(`${existing ? 'ALTER' : 'CREATE'} ROLE ${name} ${options}`).catch((error: Error & { code?: string }) => {
    if (error.code !== '42501') throw error;
    throw new Error(
      `cannot manage role ${name}, made by another owner (${error.message}); as an administrator run: GRANT ${name} TO ${owner} WITH ADMIN OPTION`,
      {
        cause: error,
      },
    );
  });
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
