import { Injectable } from '@nestjs/common';
import { newId } from '../kernel';
import { TransactionRunner } from '../persistence/transaction-runner';
import { RequestContext } from '../tenancy/request-context';
import { TimerRequest, validateTimerRequest } from './timer-spec';

/**
 * Durable timers of the current tenant. Both calls join the transaction in progress (or open one for the
 * context's tenant), so a timer is set or cleared atomically with the state change that needs it: a rolled-back
 * transaction leaves no timer behind. A due timer fires as the outbox event `timer.<kind>` (see TimerPoller).
 */
@Injectable()
export class TimerScheduler {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
  ) {}

  /** Sets the timer (kind, key), or moves it to the new `dueAt` and payload if it is still pending. */
  async schedule(request: TimerRequest): Promise<void> {
    validateTimerRequest(request);
    const tenantId = this.tenantId();
    // The fired event carries the scheduling context's causation: a chain through a timer stays one chain.
    const metadata = this.context.eventMetadata();
    await this.tx.run((manager) =>
      manager.query(
        `INSERT INTO scheduled_timers (id, tenant_id, project_id, kind, key, due_at, payload, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (tenant_id, kind, key) DO UPDATE
            SET project_id = EXCLUDED.project_id, due_at = EXCLUDED.due_at, payload = EXCLUDED.payload,
                metadata = EXCLUDED.metadata, updated_at = now()`,
        [
          newId(),
          tenantId,
          request.projectId ?? null,
          request.kind,
          request.key,
          request.dueAt,
          JSON.stringify(request.payload ?? {}),
          JSON.stringify(metadata),
        ],
      ),
    );
  }

  /** Drops the pending timer (kind, key); returns whether there was one (false also once it has fired). */
  async cancel(kind: string, key: string): Promise<boolean> {
    validateTimerRequest({ kind, key });
    const tenantId = this.tenantId();
    // TypeORM answers a DELETE with [rows, affected].
    const [, affected] = await this.tx.run((manager) =>
      manager.query<[unknown[], number]>(`DELETE FROM scheduled_timers WHERE tenant_id = $1 AND kind = $2 AND key = $3`, [
        tenantId,
        kind,
        key,
      ]),
    );
    return affected > 0;
  }

  private tenantId(): string {
    const tenantId = this.context.tenantId;
    if (!tenantId) throw new Error('TimerScheduler needs a tenant: call it in a request or TransactionRunner.runAsTenant');
    return tenantId;
  }
}
