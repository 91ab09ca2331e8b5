import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, from, lastValueFrom } from 'rxjs';
import { TransactionRunner } from '../persistence/transaction-runner';
import { RequestContext } from '../tenancy/request-context';

/** Runs each authenticated request in one transaction of the caller's tenant and user; an error rolls it all back. */
@Injectable()
export class TransactionInterceptor implements NestInterceptor {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
  ) {}

  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.context.get('principal') && !this.context.get('userId')) return next.handle();
    return from(this.tx.run(() => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
