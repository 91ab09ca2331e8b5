import { Query } from '@nestjs/cqrs';
import type { Page } from '#http/pagination';

export type AuditAction = 'insert' | 'update' | 'soft_delete' | 'restore' | 'delete';

export interface AuditEntry {
  id: string;
  table: string;
  rowId: string;
  action: AuditAction;
  /** Changed columns: `{ old, new }` on updates, `{ new }` on inserts, `{ old }` on deletes. */
  changes: Record<string, { old?: unknown; new?: unknown }>;
  actorId: string | null;
  requestId: string | null;
  occurredAt: Date;
}

export interface AuditFilter {
  table?: string;
  rowId?: string;
  actor?: string;
}

/** The project's audit trail, plus its tenant's rows that belong to no project (tenant, billing account). */
export class AuditTrailQuery extends Query<Page<AuditEntry>> {
  constructor(
    readonly projectId: string,
    readonly filter: AuditFilter,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}
