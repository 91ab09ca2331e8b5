import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { isUuid } from '#kernel';
import { CredentialResolver, Principal } from '#tenancy';
import { hashApiKey, looksLikeApiKey } from '../domain/api-key';
import { IdentityErrors } from '../identity.errors';
import { CREDENTIAL_DIRECTORY, CredentialDirectory } from './credential-directory';
import { CredentialCache } from './credential-cache';

const TOUCH_EVERY_MS = 60_000;

/** Resolves API keys and user JWTs through the narrow SECURITY DEFINER look-ups (the tenant is not known yet). */
@Injectable()
export class IdentityCredentialResolver implements CredentialResolver {
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly cache: CredentialCache,
    @Inject(CREDENTIAL_DIRECTORY) private readonly lookups: CredentialDirectory,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async resolve(token: string, projectId: string | undefined): Promise<Principal | null> {
    if (looksLikeApiKey(token)) return this.resolveApiKey(token);
    const user = await this.resolveUser(token);
    if (!user) return null;
    if (!projectId) throw IdentityErrors.projectRequired();
    if (!isUuid(projectId)) throw IdentityErrors.projectNotFound(projectId);
    const membership = (await this.lookups.memberships(user.userId)).find((m) => m.projectId === projectId);
    if (!membership) throw IdentityErrors.projectNotFound(projectId);
    return {
      kind: 'user',
      credentialId: user.userId,
      userId: user.userId,
      tenantId: membership.tenantId,
      projectId,
      role: membership.role,
    };
  }

  async resolveUser(token: string): Promise<{ userId: string } | null> {
    if (looksLikeApiKey(token)) return null;
    try {
      const payload = await this.jwt.verifyAsync<{ sub?: unknown; exp?: unknown }>(token, {
        secret: this.config.jwtSecret,
        algorithms: ['HS256'],
        issuer: this.config.identity.jwtIssuer,
        audience: this.config.identity.jwtAudience,
      });
      // jsonwebtoken accepts a token without `exp` as never expiring: ours always carry one.
      return typeof payload.exp === 'number' && isUuid(payload.sub) ? { userId: payload.sub } : null;
    } catch {
      return null;
    }
  }

  private async resolveApiKey(token: string): Promise<Principal | null> {
    const hash = hashApiKey(token);
    const cached = this.cache.get(hash);
    if (cached) return cached;
    const key = await this.lookups.apiKey(hash);
    if (!key) return null;
    this.touch(key.keyId);
    const principal: Principal = {
      kind: 'api_key',
      // Rate limits count per user across all their keys: a limited user cannot mint a fresh key and go on.
      credentialId: key.userId,
      userId: key.userId,
      tenantId: key.tenantId,
      projectId: key.projectId,
      role: key.role,
    };
    this.cache.set(hash, principal);
    return principal;
  }

  /** Records last use at most once a minute per key and process, off the request's path. */
  private touch(keyId: string): void {
    const now = Date.now();
    if ((this.touched.get(keyId) ?? 0) > now - TOUCH_EVERY_MS) return;
    this.touched.set(keyId, now);
    this.lookups.touchApiKey(keyId).catch(() => this.touched.delete(keyId));
  }
}
