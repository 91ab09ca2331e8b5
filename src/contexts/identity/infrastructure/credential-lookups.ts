import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { PgTarget, authTarget, toClientConfig } from '#persistence/connection-options';
import { endPoolOnce, watchPool } from '#persistence/pool-errors';
import { APP_DB_TARGET } from '#persistence/tokens';
import type { ProjectRole } from '#tenancy';

export interface ApiKeyGrant {
  keyId: string;
  tenantId: string;
  projectId: string;
  userId: string;
  role: ProjectRole;
}

export interface Membership {
  projectId: string;
  tenantId: string;
  projectName: string;
  role: ProjectRole;
}

/**
 * The look-ups that must run before the tenant is known, through the narrow SECURITY DEFINER functions, on
 * connections of their own role (crm_auth): the application role cannot call them at all.
 */
@Injectable()
export class CredentialLookups implements OnApplicationShutdown {
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

  /** Whether an email is registered, and its user's id: what adding a member by email needs, nothing more. */
  async userIdByEmail(email: string): Promise<string | undefined> {
    const { rows } = await this.pool.query(`SELECT auth_user_id($1) AS user_id`, [email]);
    return rows[0].user_id ?? undefined;
  }

  async memberships(userId: string): Promise<Membership[]> {
    const { rows } = await this.pool.query(`SELECT project_id, tenant_id, project_name, role FROM auth_memberships($1)`, [userId]);
    return rows.map((r) => ({ projectId: r.project_id, tenantId: r.tenant_id, projectName: r.project_name, role: r.role }));
  }
}
