import type { ClientConfig } from 'pg';

/** The role the API, the relay and the consumers log in as: never an owner, never able to bypass RLS. */
export const APP_ROLE = 'crm_app';
/** The credential look-ups' own login role: the only one that may resolve API keys, logins and memberships. */
export const AUTH_ROLE = 'crm_auth';
/** The relay's own login role: the only one that may claim or prune outbox events across tenants. */
export const RELAY_ROLE = 'crm_relay';
/** NOLOGIN role owning the few SECURITY DEFINER functions that must read across tenants (API-key lookup, relay claim). */
export const SERVICE_ROLE = 'crm_service';

export interface PgTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password?: string;
}

export function parseDatabaseUrl(url: string): PgTarget {
  const u = new URL(url);
  return {
    // A Unix-socket directory as `?host=/path` (libpq's form) or as an encoded host (`%2Ftmp`).
    host: u.searchParams.get('host') || decodeURIComponent(u.hostname) || '127.0.0.1',
    port: Number(u.port || 5432),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
    user: decodeURIComponent(u.username) || 'postgres',
    password: u.password ? decodeURIComponent(u.password) : undefined,
  };
}

export function toClientConfig(target: PgTarget): ClientConfig {
  return { host: target.host, port: target.port, database: target.database, user: target.user, password: target.password };
}

/** The same server and database as the owner URL, logged in as the application role. */
export function appTarget(owner: PgTarget, appPassword: string): PgTarget {
  return { ...owner, user: APP_ROLE, password: appPassword };
}

/** The same server and database, logged in as the relay's role. */
export function relayTarget(target: PgTarget, relayPassword: string): PgTarget {
  return { ...target, user: RELAY_ROLE, password: relayPassword };
}

/** The same server and database, logged in as the credential look-ups' role. */
export function authTarget(target: PgTarget, authPassword: string): PgTarget {
  return { ...target, user: AUTH_ROLE, password: authPassword };
}
