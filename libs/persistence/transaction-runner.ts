import { Injectable } from '@nestjs/common';
import { escapeLiteral } from 'pg';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
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
    const runner = this.dataSource.createQueryRunner();
    let result: T;
    try {
      await runner.connect();
      // BEGIN and the settings travel as one simple-protocol round trip (of the five or six a request makes).
      // Joined first: should the settings fail, the block BEGIN opened is still rolled back before release.
      joinOpenTransaction(runner);
      await runner.query(openTransaction(tenantId, userId, requestId, options.asyncCommit === true));
      this.context.set('transaction', runner.manager);
      this.context.set('afterCommit', committed);
      try {
        result = await fn(runner.manager);
      } finally {
        this.context.set('transaction', undefined);
        this.context.set('afterCommit', undefined);
      }
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
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

/**
 * `START TRANSACTION` and the transaction-local settings RLS and the audit trigger read, as one multi-statement
 * simple query: the values are escaped literals (the simple protocol takes no parameters).
 */
function openTransaction(tenantId: string, userId: string, requestId: string, asyncCommit: boolean): string {
  if (!tenantId && !userId && !asyncCommit) return 'START TRANSACTION';
  const settings = [
    `set_config('app.current_tenant_id', ${escapeLiteral(tenantId)}, true)`,
    `set_config('app.current_user_id', ${escapeLiteral(userId)}, true)`,
    `set_config('app.request_id', ${escapeLiteral(requestId)}, true)`,
    ...(asyncCommit ? [`set_config('synchronous_commit', 'off', true)`] : []),
  ];
  return `START TRANSACTION; SELECT ${settings.join(', ')}`;
}

/**
 * Tells the query runner the transaction it did not start itself is open, as its own `startTransaction` would
 * (depth 1): its commit and rollback then end it, and a nested `manager.transaction()` takes a savepoint.
 */
function joinOpenTransaction(runner: QueryRunner): void {
  Object.assign(runner, { isTransactionActive: true, transactionDepth: 1 });
}
