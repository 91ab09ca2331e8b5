import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../kernel';
import { CREDENTIAL_RESOLVER, CredentialResolver } from './credential-resolver';
import { isPublic, isUserOnly } from './roles.guard';
import { RequestContext } from './request-context';

/** Authenticates every non-public route from `Authorization: Bearer <api key | JWT>` and sets the tenant context. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly context: RequestContext,
    @Inject(CREDENTIAL_RESOLVER) private readonly credentials: CredentialResolver,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (isPublic(this.reflector, ctx)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { credentialId?: string }>();
    const token = bearerToken(req.headers.authorization);
    if (isUserOnly(this.reflector, ctx)) {
      const user = await this.credentials.resolveUser(token);
      if (!user) throw invalidCredential();
      req.credentialId = user.userId;
      this.context.set('userId', user.userId);
      return true;
    }
    const header = req.headers['x-project-id'];
    const projectId = Array.isArray(header) ? header[0] : header;
    const principal = await this.credentials.resolve(token, projectId);
    if (!principal) throw invalidCredential();
    req.credentialId = principal.credentialId;
    this.context.set('principal', principal);
    this.context.set('tenantId', principal.tenantId);
    this.context.set('userId', principal.userId);
    return true;
  }
}

function bearerToken(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) throw new DomainError('unauthorized', 'auth.missing_credential', 'Send Authorization: Bearer <api key or token>');
  return match[1];
}

function invalidCredential(): DomainError {
  return new DomainError('unauthorized', 'auth.invalid_credential', 'The credential is invalid, expired or revoked');
}
