import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { Observable, from, lastValueFrom } from 'rxjs';
import { DomainError, ValidationError } from '../kernel';
import { TransactionRunner } from '../persistence/transaction-runner';
import { Principal } from '../tenancy/principal';
import { RequestContext } from '../tenancy/request-context';

const NOT_REPLAYABLE = 'crm:not-replayable';

/** A POST whose response must never be stored (it carries a secret shown once): Idempotency-Key is ignored. */
export const NotReplayable = () => SetMetadata(NOT_REPLAYABLE, true);

/**
 * `Idempotency-Key` on POST, per credential and project: the key is claimed and the response stored in the
 * request's own transaction, so a retry after a crash either finds nothing (and runs again) or replays the
 * committed response. A concurrent duplicate waits on the key's unique index until the first commits. The same
 * key with another body: 422.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const key = req.headers['idempotency-key'];
    const principal = this.context.get('principal');
    if (req.method !== 'POST' || key === undefined || !principal || Reflect.getMetadata(NOT_REPLAYABLE, ctx.getHandler()))
      return next.handle();
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      throw new ValidationError('idempotency.invalid_key', 'Idempotency-Key must be 1 to 255 characters');
    }
    const status = (Reflect.getMetadata(HTTP_CODE_METADATA, ctx.getHandler()) as number | undefined) ?? 201;
    const res = ctx.switchToHttp().getResponse<Response>();
    return from(this.once(principal, key, fingerprint(req), status, res, next));
  }

  private async once(principal: Principal, key: string, hash: string, status: number, res: Response, next: CallHandler): Promise<unknown> {
    const em = this.tx.manager;
    const scope = [principal.tenantId, principal.projectId, principal.credentialId, key];
    const where = 'tenant_id = $1 AND project_id = $2 AND credential_id = $3 AND idempotency_key = $4';
    const claimed: unknown[] = await em.query(
      `INSERT INTO idempotency_keys (tenant_id, project_id, credential_id, idempotency_key, request_hash) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [...scope, hash],
    );
    if (claimed.length === 0) {
      const [stored] = await em.query(
        `SELECT request_hash, response_status, response_etag, response_body FROM idempotency_keys WHERE ${where}`,
        scope,
      );
      if (stored.request_hash !== hash) {
        throw new DomainError('unprocessable', 'idempotency.key_reused', 'This Idempotency-Key was already used with a different request');
      }
      res.status(stored.response_status);
      res.setHeader('Idempotent-Replayed', 'true');
      if (stored.response_etag) res.setHeader('ETag', stored.response_etag);
      return stored.response_body;
    }
    const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    await em.query(`UPDATE idempotency_keys SET response_status = $5, response_body = $6, response_etag = $7 WHERE ${where}`, [
      ...scope,
      status,
      JSON.stringify(body ?? null),
      res.getHeader('ETag') ?? null,
    ]);
    return body;
  }
}

function fingerprint(req: Request): string {
  let body: string;
  try {
    body = JSON.stringify(req.body ?? null);
  } catch {
    // A parsed JSON body has no cycles: only nesting too deep for the stack gets here (validation comes later).
    throw new ValidationError('request.too_deep', 'The request body nests too deeply');
  }
  return createHash('sha256').update(`${req.method} ${req.path}\n${body}`).digest('hex');
}
