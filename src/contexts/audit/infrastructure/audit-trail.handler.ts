import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { TransactionRunner } from '#persistence/transaction-runner';
import { AuditAction, AuditEntry, AuditTrailQuery } from '../application/audit-trail.query';
import { AuditLogEntity } from './audit-log.entity';

/** Newest first, keyset-paginated on the time-ordered id; RLS keeps it to the caller's tenant. */
@QueryHandler(AuditTrailQuery)
export class AuditTrailHandler implements IQueryHandler<AuditTrailQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ projectId, filter, limit, cursor }: AuditTrailQuery): Promise<Page<AuditEntry>> {
    const qb = this.tx.manager
      .createQueryBuilder(AuditLogEntity, 'a')
      .where('(a.project_id = :projectId OR a.project_id IS NULL)', { projectId });
    if (filter.table) qb.andWhere('a.table_name = :table', { table: filter.table });
    if (filter.rowId) qb.andWhere('a.row_id = :rowId', { rowId: filter.rowId });
    if (filter.actor) qb.andWhere('a.actor_id = :actor', { actor: filter.actor });
    const after = decodeCursor(cursor);
    if (after) qb.andWhere('a.id < :after', { after });
    const rows = await qb
      .orderBy('a.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (r) => ({
      id: r.id,
      table: r.tableName,
      rowId: r.rowId,
      action: r.action as AuditAction,
      changes: r.changes,
      actorId: r.actorId,
      requestId: r.requestId,
      occurredAt: r.occurredAt,
    }));
  }
}
