import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { Observable, from, lastValueFrom } from 'rxjs';
import { DomainError, ValidationError } from '../kernel';
import { TransactionRunner } from '../persistence/transaction-runner';
import { RequestContext } from '../tenancy/request-context';

/**
 * `Idempotency-Key` on POST: the key is claimed and the response stored in the request's own transaction, so a
 * retry after a crash either finds nothing (and runs again) or replays the committed response. A concurrent
 * duplicate waits on the key's unique index until the first commits. The same key with another body: 422.
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
    if (req.method !== 'POST' || key === undefined || !principal) return next.handle();
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      throw new ValidationError('idempotency.invalid_key', 'Idempotency-Key must be 1 to 255 characters');
    }
    const status = (Reflect.getMetadata(HTTP_CODE_METADATA, ctx.getHandler()) as number | undefined) ?? 201;
    const res = ctx.switchToHttp().getResponse<Response>();
    return from(this.once(principal.tenantId, principal.credentialId, key, fingerprint(req), status, res, next));
  }

  private async once(
    tenantId: string,
    credentialId: string,
    key: string,
    hash: string,
    status: number,
    res: Response,
    next: CallHandler,
  ): Promise<unknown> {
    const em = this.tx.manager;
    const claimed: unknown[] = await em.query(
      `INSERT INTO idempotency_keys (tenant_id, credential_id, idempotency_key, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [tenantId, credentialId, key, hash],
    );
    if (claimed.length === 0) {
      const [stored] = await em.query(
        `SELECT request_hash, response_status, response_etag, response_body FROM idempotency_keys
          WHERE tenant_id = $1 AND credential_id = $2 AND idempotency_key = $3`,
        [tenantId, credentialId, key],
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
    await em.query(
      `UPDATE idempotency_keys SET response_status = $4, response_body = $5, response_etag = $6
        WHERE tenant_id = $1 AND credential_id = $2 AND idempotency_key = $3`,
      [tenantId, credentialId, key, status, JSON.stringify(body ?? null), res.getHeader('ETag') ?? null],
    );
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
