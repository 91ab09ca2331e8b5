import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Observable, from, lastValueFrom } from 'rxjs';
import { TransactionRunner } from '../persistence/transaction-runner';
import { RequestContext } from '../tenancy/request-context';

const OWN_TRANSACTIONS = 'crm:own-transactions';

/**
 * A route that streams (a bulk import or export) and opens short transactions of its own (`TransactionRunner.run`
 * per batch): one transaction for the whole request would stay open as long as the upload or download lasts.
 */
export const RunsOwnTransactions = () => SetMetadata(OWN_TRANSACTIONS, true);

/** Runs each authenticated request in one transaction of the caller's tenant and user; an error rolls it all back. */
@Injectable()
export class TransactionInterceptor implements NestInterceptor {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.context.get('principal') && !this.context.get('userId')) return next.handle();
    if (Reflect.getMetadata(OWN_TRANSACTIONS, ctx.getHandler())) return next.handle();
    return from(this.tx.run(() => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
