import { Injectable } from '@nestjs/common';
import { newId } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ContactImportRepository, ImportView } from '../application/contact-import.ports';
import { ContactsScope } from '../application/contact.views';
import { ImportCounts, ImportFormat, ImportMode, ImportStatus, RejectedRow } from '../domain/contact-import';

/** An import whose process sent no heartbeat for this long died with it (a restart, a crash): it reads as failed. */
const STALE_AFTER = `interval '2 minutes'`;
const INTERRUPTED = 'Interrupted: the server processing the upload stopped; the rows counted here were committed';

interface ImportRow {
  id: string;
  format: ImportFormat;
  mode: ImportMode;
  status: ImportStatus;
  rows_read: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejected_rows: RejectedRow[];
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
  stale: boolean;
}

const SELECT = `SELECT id, format, mode, status, rows_read, created, updated, unchanged, rejected, rejected_rows, error, created_at,
  finished_at, status = 'running' AND heartbeat_at < now() - ${STALE_AFTER} AS stale FROM contact_imports`;

@Injectable()
export class TypeormContactImportRepository implements ContactImportRepository {
  constructor(private readonly tx: TransactionRunner) {}

  async start(scope: ContactsScope, format: ImportFormat, mode: ImportMode, startedBy: string | null): Promise<ImportView> {
    const [row]: ImportRow[] = await this.tx.manager.query(
      `INSERT INTO contact_imports (id, tenant_id, project_id, format, mode, started_by) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING *, false AS stale`,
      [newId(), scope.tenantId, scope.projectId, format, mode, startedBy],
    );
    return toView(row);
  }

  async lockRunning(id: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.manager.query(`SELECT 1 FROM contact_imports WHERE id = $1 AND status = 'running' FOR UPDATE`, [
      id,
    ]);
    return rows.length > 0;
  }

  async recordProgress(id: string, counts: ImportCounts, newlyListed: readonly RejectedRow[]): Promise<void> {
    await this.tx.manager.query(
      `UPDATE contact_imports SET rows_read = $2, created = $3, updated = $4, unchanged = $5, rejected = $6,
         rejected_rows = CASE WHEN $7::jsonb = '[]' THEN rejected_rows ELSE rejected_rows || $7::jsonb END, heartbeat_at = now()
       WHERE id = $1`,
      [id, counts.rowsRead, counts.created, counts.updated, counts.unchanged, counts.rejected, JSON.stringify(newlyListed)],
    );
  }

  async finish(id: string, status: 'completed' | 'failed', error?: string): Promise<void> {
    await this.tx.manager.query(
      `UPDATE contact_imports SET status = $2, error = $3, finished_at = now() WHERE id = $1 AND status = 'running'`,
      [id, status, error ?? null],
    );
  }

  async heartbeat(id: string): Promise<void> {
    await this.tx.manager.query(`UPDATE contact_imports SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`, [id]);
  }

  async cancel(projectId: string, id: string, cancelledBy: string | null): Promise<ImportView | null> {
    await this.tx.manager.query(
      `UPDATE contact_imports SET status = 'cancelled', cancelled_by = $3, finished_at = now()
       WHERE id = $1 AND project_id = $2 AND status = 'running'`,
      [id, projectId, cancelledBy],
    );
    return this.get(projectId, id);
  }

  async get(projectId: string, id: string): Promise<ImportView | null> {
    const [row]: ImportRow[] = await this.tx.manager.query(`${SELECT} WHERE id = $1 AND project_id = $2`, [id, projectId]);
    return row ? toView(row) : null;
  }

  async list(projectId: string, take: number, before?: string): Promise<ImportView[]> {
    const rows: ImportRow[] = await this.tx.manager.query(
      `${SELECT} WHERE project_id = $1 AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [projectId, before ?? null, take],
    );
    return rows.map(toView);
  }
}

function toView(r: ImportRow): ImportView {
  return {
    id: r.id,
    format: r.format,
    mode: r.mode,
    status: r.stale ? 'failed' : r.status,
    rowsRead: r.rows_read,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    rejected: r.rejected,
    rejectedRows: r.rejected_rows,
    error: r.stale ? INTERRUPTED : r.error,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}
