import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../../libs/config/app-config';
import { NotFoundError, ValidationError, isUuid } from '../../../../libs/kernel';
import { CredentialResolver, Principal, ProjectRole } from '../../../../libs/tenancy';
import { hashApiKey, looksLikeApiKey } from '../domain/api-key';
import { CredentialCache } from './credential-cache';

const TOUCH_EVERY_MS = 60_000;

/** Resolves API keys and user JWTs through the narrow SECURITY DEFINER look-ups (the tenant is not known yet). */
@Injectable()
export class IdentityCredentialResolver implements CredentialResolver {
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly cache: CredentialCache,
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async resolve(token: string, projectId: string | undefined): Promise<Principal | null> {
    if (looksLikeApiKey(token)) return this.resolveApiKey(token);
    const user = await this.resolveUser(token);
    if (!user) return null;
    if (!projectId) throw new ValidationError('auth.project_required', 'A user token needs the X-Project-Id header to select a project');
    if (!isUuid(projectId)) throw new NotFoundError('project', projectId);
    const [membership] = await this.dataSource.query(`SELECT tenant_id, role FROM auth_memberships($1) WHERE project_id = $2`, [
      user.userId,
      projectId,
    ]);
    if (!membership) throw new NotFoundError('project', projectId);
    return {
      kind: 'user',
      credentialId: user.userId,
      userId: user.userId,
      tenantId: membership.tenant_id,
      projectId,
      role: membership.role as ProjectRole,
    };
  }

  async resolveUser(token: string): Promise<{ userId: string } | null> {
    if (looksLikeApiKey(token)) return null;
    try {
      const payload = await this.jwt.verifyAsync<{ sub: string }>(token, { secret: this.config.jwtSecret });
      return isUuid(payload.sub) ? { userId: payload.sub } : null;
    } catch {
      return null;
    }
  }

  private async resolveApiKey(token: string): Promise<Principal | null> {
    const hash = hashApiKey(token);
    const cached = this.cache.get(hash);
    if (cached) return cached;
    const [key] = await this.dataSource.query(`SELECT key_id, tenant_id, project_id, user_id, role FROM auth_api_key($1)`, [hash]);
    if (!key) return null;
    this.touch(key.key_id);
    const principal: Principal = {
      kind: 'api_key',
      credentialId: key.key_id,
      userId: key.user_id,
      tenantId: key.tenant_id,
      projectId: key.project_id,
      role: key.role as ProjectRole,
    };
    this.cache.set(hash, principal);
    return principal;
  }

  /** Records last use at most once a minute per key and process, off the request's path. */
  private touch(keyId: string): void {
    const now = Date.now();
    if ((this.touched.get(keyId) ?? 0) > now - TOUCH_EVERY_MS) return;
    this.touched.set(keyId, now);
    this.dataSource.query('SELECT auth_touch_api_key($1)', [keyId]).catch(() => this.touched.delete(keyId));
  }
}
