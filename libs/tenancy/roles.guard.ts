import { CanActivate, ExecutionContext, Injectable, SetMetadata, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../kernel';
import { ProjectRole, roleAtLeast } from './principal';
import { RequestContext } from './request-context';

const MIN_ROLE = 'crm:min-role';
const PUBLIC = 'crm:public';
const USER_ONLY = 'crm:user-only';

/** The least project role allowed to call a route. Without it, reads need `readonly` and writes need `user`. */
export const MinRole = (role: ProjectRole) => SetMetadata(MIN_ROLE, role);
/** A route that needs no credential (register, login, health). */
export const Public = () => SetMetadata(PUBLIC, true);
const WEBHOOK = 'crm:webhook';
/**
 * A provider's webhook: public (its URL's `token` parameter is the credential) and metered per token with the
 * webhook budget, not per client address: one gateway posts a whole channel's traffic from one address.
 */
export const Webhook = () => applyDecorators(SetMetadata(PUBLIC, true), SetMetadata(WEBHOOK, true));

export function isWebhook(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(WEBHOOK, [context.getHandler(), context.getClass()]) === true;
}
/** A route that needs a signed-in user but no project (a user token without X-Project-Id). */
export const UserOnly = () => SetMetadata(USER_ONLY, true);

export function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()]) === true;
}

export function isUserOnly(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(USER_ONLY, [context.getHandler(), context.getClass()]) === true;
}

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly context: RequestContext,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (isPublic(this.reflector, ctx) || isUserOnly(this.reflector, ctx)) return true;
    const method = ctx.switchToHttp().getRequest<{ method: string }>().method;
    const required =
      this.reflector.getAllAndOverride<ProjectRole>(MIN_ROLE, [ctx.getHandler(), ctx.getClass()]) ??
      (method === 'GET' || method === 'HEAD' ? 'readonly' : 'user');
    const { role } = this.context.principal;
    if (!roleAtLeast(role, required)) {
      throw new DomainError('forbidden', 'auth.insufficient_role', `This action needs the ${required} role; you have ${role}`);
    }
    return true;
  }
}
