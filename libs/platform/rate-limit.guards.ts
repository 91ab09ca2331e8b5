import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RATE_LIMIT_STORE, RateLimitStore } from '../http/rate-limit-store';
import { DomainError } from '../kernel';
import { AuthGuard } from '../tenancy/auth.guard';
import { isPublic, isWebhook } from '../tenancy/roles.guard';
import { Metrics } from './metrics';

const WINDOW_MS = 60_000;
type Budget = 'credential' | 'unauthenticated';

/** Counts one hit against a budget and writes the X-RateLimit-* headers (on 2xx, 401 and 429 alike). */
abstract class Limiter {
  private readonly logger = new Logger('RateLimit');
  private lastStoreWarning = 0;

  constructor(
    protected readonly store: RateLimitStore,
    protected readonly metrics: Metrics,
  ) {}

  /** Undefined when the store is unreachable: the request goes through (failing open beats refusing everyone). */
  protected async count(key: string, limit: number, res: Response): Promise<{ exceeded: boolean; resetSeconds: number } | undefined> {
    let hit: { count: number; resetInMs: number };
    try {
      hit = await this.store.hit(key, WINDOW_MS);
    } catch (error) {
      if (Date.now() - this.lastStoreWarning > 10_000) {
        this.lastStoreWarning = Date.now();
        this.logger.warn(`rate-limit store unavailable, not limiting: ${(error as Error).message}`);
      }
      return undefined;
    }
    const resetSeconds = Math.max(1, Math.ceil(hit.resetInMs / 1000));
    res.setHeader('X-RateLimit-Limit', String(limit));
    res.setHeader('X-RateLimit-Remaining', String(Math.max(0, limit - hit.count)));
    res.setHeader('X-RateLimit-Reset', String(resetSeconds));
    return { exceeded: hit.count > limit, resetSeconds };
  }

  protected reject(budget: Budget, res: Response, resetSeconds: number): DomainError {
    this.metrics.rejected(budget);
    res.setHeader('Retry-After', String(resetSeconds));
    const whose = budget === 'credential' ? 'this credential' : 'requests without a valid credential from this address';
    return new DomainError('rate_limited', 'rate_limited', `Too many requests for ${whose}; retry after ${resetSeconds} s`);
  }
}

/**
 * Authentication with a budget of its own per client address for missing and bad credentials, so guessing keys
 * or tokens is throttled before any credential is known. An address over that budget gets 429 without a look-up
 * until its window resets.
 */
@Injectable()
export class ThrottledAuthGuard extends Limiter implements CanActivate {
  /** Addresses over budget in this process, and until when: refused before any database work (valid keys too). */
  private readonly blocked = new Map<string, number>();

  constructor(
    private readonly auth: AuthGuard,
    private readonly reflector: Reflector,
    @Inject(RATE_LIMIT_STORE) store: RateLimitStore,
    metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(store, metrics);
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    // Public routes (health, sign-up, login) need no credential; login and sign-up have limits of their own.
    if (isPublic(this.reflector, ctx)) return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const address = req.ip ?? 'unknown';
    const until = this.blocked.get(address);
    if (until !== undefined) {
      if (until > Date.now()) throw this.reject('unauthenticated', res, Math.ceil((until - Date.now()) / 1000));
      this.blocked.delete(address);
    }
    try {
      return await this.auth.canActivate(ctx);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'unauthorized') throw error;
      const limit = this.config.rateLimitUnauthenticatedPerMinute;
      const counted = await this.count(`unauth:${address}`, limit, res);
      if (counted?.exceeded) {
        if (this.blocked.size > 10_000) for (const [a, t] of this.blocked) if (t <= Date.now()) this.blocked.delete(a);
        this.blocked.set(address, Date.now() + counted.resetSeconds * 1000);
        throw this.reject('unauthenticated', res, counted.resetSeconds);
      }
      throw error;
    }
  }
}

/** One budget per credential (API key or user) across the whole API; before sign-in, per client address. */
@Injectable()
export class CredentialRateLimitGuard extends Limiter implements CanActivate {
  constructor(
    @Inject(RATE_LIMIT_STORE) store: RateLimitStore,
    metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {
    super(store, metrics);
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request & { credentialId?: string }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const webhook = isWebhook(this.reflector, ctx);
    const tracker = webhook ? `webhook:${String(req.params.token)}` : (req.credentialId ?? `ip:${req.ip ?? 'unknown'}`);
    const limit = webhook ? this.config.webhookRateLimitPerMinute : this.config.rateLimitPerMinute;
    const counted = await this.count(`credential:${tracker}`, limit, res);
    if (counted?.exceeded) throw this.reject('credential', res, counted.resetSeconds);
    return true;
  }
}
