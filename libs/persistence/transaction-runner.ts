import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../tenancy/request-context';

/**
 * The unit of work: one database transaction per request, command or event delivery, carried implicitly through
 * the continuation-local context so handlers and repositories join it without passing a manager around.
 */
@Injectable()
export class TransactionRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly context: RequestContext,
  ) {}

  /** The manager of the transaction in progress. */
  get manager(): EntityManager {
    const manager = this.context.get('transaction');
    if (!manager) throw new Error('No transaction in progress: call this inside TransactionRunner.run');
    return manager;
  }

  /**
   * Runs `fn` inside the current transaction, or opens one scoped to the context's tenant and user: RLS then
   * shows that tenant's rows only (and the user itself), and without them none at all. `set_config(..., true)` ends with the transaction, so
   * nothing leaks through the connection pool.
   */
  async run<T>(fn: (manager: EntityManager) => Promise<T>, options: { asyncCommit?: boolean } = {}): Promise<T> {
    const current = this.context.get('transaction');
    if (current) return fn(current);
    const tenantId = this.context.tenantId ?? '';
    const userId = this.context.get('userId') ?? '';
    // The audit trigger records the acting user and the request id from these settings.
    const requestId = this.context.get('requestId') ?? '';
    const committed: (() => void)[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      if (tenantId || userId || options.asyncCommit) {
        await manager.query(
          `SELECT set_config('app.current_tenant_id', $1, true), set_config('app.current_user_id', $2, true), set_config('app.request_id', $3, true)${
            options.asyncCommit ? `, set_config('synchronous_commit', 'off', true)` : ''
          }`,
          [tenantId, userId, requestId],
        );
      }
      this.context.set('transaction', manager);
      this.context.set('afterCommit', committed);
      try {
        return await fn(manager);
      } finally {
        this.context.set('transaction', undefined);
        this.context.set('afterCommit', undefined);
      }
    });
    for (const hook of committed) hook();
    return result;
  }

  /** Runs `hook` once the transaction in progress has committed (never if it rolls back); at once outside one. */
  afterCommit(hook: () => void): void {
    const hooks = this.context.get('afterCommit');
    if (hooks) hooks.push(hook);
    else hook();
  }

  /**
   * Runs `fn` in a fresh context and transaction of `tenantId`: for consumers, jobs and registration.
   * `asyncCommit` skips waiting for the disk at commit: only for work that is redone if lost (event delivery).
   */
  runAsTenant<T>(
    tenantId: string,
    fn: (manager: EntityManager) => Promise<T>,
    options: { asyncCommit?: boolean; userId?: string } = {},
  ): Promise<T> {
    return this.context.run(async () => {
      // The context is a copy of the caller's: drop its transaction, or `run` would join it (and its tenant).
      this.context.set('transaction', undefined);
      this.context.set('afterCommit', undefined);
      this.context.set('tenantId', tenantId);
      if (options.userId) this.context.set('userId', options.userId);
      return this.run(fn, options);
    });
  }
}
