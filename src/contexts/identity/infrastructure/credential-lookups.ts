import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { PgTarget, authTarget, toClientConfig } from '#persistence/connection-options';
import { endPoolOnce, watchPool } from '#persistence/pool-errors';
import { APP_DB_TARGET } from '#persistence/tokens';
import type { ApiKeyGrant, CredentialDirectory, Membership, PendingInvitation } from '../application/credential-directory';

/**
 * The look-ups that must run before the tenant is known, through the narrow SECURITY DEFINER functions, on
 * connections of their own role (crm_auth): the application role cannot call them at all.
 */
@Injectable()
export class CredentialLookups implements CredentialDirectory, OnApplicationShutdown {
  private readonly pool: Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(APP_DB_TARGET) target: PgTarget) {
    this.pool = new Pool({
      ...toClientConfig(authTarget(target, config.authDbPassword)),
      max: 4,
      application_name: 'crm-auth',
      connectionTimeoutMillis: 5000,
    });
    watchPool(this.pool, 'crm-auth', new Logger(CredentialLookups.name));
  }

  /** After the HTTP server has drained (requests in flight still authenticate), once. */
  async onApplicationShutdown(): Promise<void> {
    await endPoolOnce(this.pool);
  }

  async apiKey(keyHash: string): Promise<ApiKeyGrant | undefined> {
    const { rows } = await this.pool.query(`SELECT key_id, tenant_id, project_id, user_id, role FROM auth_api_key($1)`, [keyHash]);
    const [k] = rows;
    return k && { keyId: k.key_id, tenantId: k.tenant_id, projectId: k.project_id, userId: k.user_id, role: k.role };
  }

  async touchApiKey(keyId: string): Promise<void> {
    await this.pool.query('SELECT auth_touch_api_key($1)', [keyId]);
  }

  async login(email: string): Promise<{ userId: string; passwordHash: string; status: string } | undefined> {
    const { rows } = await this.pool.query(`SELECT user_id, password_hash, status FROM auth_login($1)`, [email]);
    const [u] = rows;
    return u && { userId: u.user_id, passwordHash: u.password_hash, status: u.status };
  }

  /** Replaces a password hash, only if it is still the one sign-in verified (a concurrent change wins). */
  async upgradePasswordHash(userId: string, oldHash: string, newHash: string): Promise<boolean> {
    const { rows } = await this.pool.query(`SELECT auth_upgrade_password_hash($1, $2, $3) AS changed`, [userId, oldHash, newHash]);
    return rows[0].changed === true;
  }

  /** The pending, unexpired invitations addressed to this user's email, in every tenant. */
  async pendingInvitations(userId: string): Promise<PendingInvitation[]> {
    const { rows } = await this.pool.query(
      `SELECT id, tenant_id, tenant_name, project_id, project_name, role, expires_at, created_at FROM auth_pending_invitations($1)`,
      [userId],
    );
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      tenantName: r.tenant_name,
      projectId: r.project_id,
      projectName: r.project_name,
      role: r.role,
      expiresAt: r.expires_at,
      createdAt: r.created_at,
    }));
  }

  /** The tenant of an invitation addressed to this user (any status), or undefined: all acceptance needs to begin. */
  async invitationTenant(userId: string, invitationId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query(`SELECT auth_invitation_tenant($1, $2) AS tenant_id`, [userId, invitationId]);
    return rows[0].tenant_id ?? undefined;
  }

  async memberships(userId: string): Promise<Membership[]> {
    const { rows } = await this.pool.query(`SELECT project_id, tenant_id, project_name, role FROM auth_memberships($1)`, [userId]);
    return rows.map((r) => ({ projectId: r.project_id, tenantId: r.tenant_id, projectName: r.project_name, role: r.role }));
  }
}
