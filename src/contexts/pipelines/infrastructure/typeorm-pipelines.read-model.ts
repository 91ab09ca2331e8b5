import { Injectable } from '@nestjs/common';
import { SqlRow } from '#persistence/sql-row';
import { TransactionRunner } from '#persistence/transaction-runner';
import {
  BoardColumnRecord,
  BoardEntryRecord,
  ContactStatusView,
  HistoryEntryView,
  PipelineReadModel,
  PipelineStatusView,
  PipelineView,
} from '../application/pipelines.read-models';

const PIPELINES = `SELECT p.id, p.name, p.description, p.color, p.session_timeout_minutes, p.version, p.created_at, p.updated_at, p.deleted_at,
                          coalesce((SELECT json_agg(json_build_object('id', s.id, 'name', s.name, 'type', s.status_type, 'color', s.color,
                                                                      'position', s.position, 'allowedNext', s.allowed_next)
                                                    ORDER BY s.position)
                                      FROM pipeline_statuses s WHERE s.pipeline_id = p.id AND s.deleted_at IS NULL), '[]') AS statuses
                     FROM pipelines p WHERE p.project_id = $1`;

const pipelineView = (r: SqlRow): PipelineView => ({
  id: r.id,
  name: r.name,
  description: r.description,
  color: r.color,
  sessionTimeoutMinutes: r.session_timeout_minutes,
  statuses: r.statuses as PipelineStatusView[],
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deletedAt: r.deleted_at,
});

const entry = (r: SqlRow): BoardEntryRecord => ({ id: r.id, contactId: r.contact_id, enteredAt: new Date(r.entered_at) });

@Injectable()
export class TypeormPipelineReadModel implements PipelineReadModel {
  constructor(private readonly tx: TransactionRunner) {}

  async list(projectId: string, deleted: boolean, take: number, after?: string): Promise<PipelineView[]> {
    const rows: SqlRow[] = await this.tx.manager.query(
      `${PIPELINES} AND p.deleted_at IS ${deleted ? 'NOT ' : ''}NULL AND ($2::uuid IS NULL OR p.id > $2) ORDER BY p.id LIMIT $3`,
      [projectId, after ?? null, take],
    );
    return rows.map(pipelineView);
  }

  async get(projectId: string, id: string): Promise<PipelineView | null> {
    const [row]: SqlRow[] = await this.tx.manager.query(`${PIPELINES} AND p.deleted_at IS NULL AND p.id = $2`, [projectId, id]);
    return row ? pipelineView(row) : null;
  }

  /**
   * One statement for the whole board, each status served by idx_contact_pipelines_board
   * (tenant, pipeline, status, entry) INCLUDE (contact, entered_at): the count is an index-only scan of the status's
   * entries and the page an index-only range read of its first `take`; no sort, no heap.
   */
  async board(pipelineId: string, take: number): Promise<BoardColumnRecord[]> {
    const rows: SqlRow[] = await this.tx.manager.query(
      `SELECT s.id AS status_id,
              (SELECT count(*)::int FROM contact_pipelines c
                WHERE c.tenant_id = s.tenant_id AND c.pipeline_id = s.pipeline_id AND c.status_id = s.id AND NOT c.contact_deleted) AS contact_count,
              (SELECT coalesce(json_agg(json_build_object('id', e.entry_id, 'contact_id', e.contact_id, 'entered_at', e.entered_at)
                                        ORDER BY e.entry_id), '[]')
                 FROM (SELECT c.entry_id, c.contact_id, c.entered_at FROM contact_pipelines c
                        WHERE c.tenant_id = s.tenant_id AND c.pipeline_id = s.pipeline_id AND c.status_id = s.id AND NOT c.contact_deleted
                        ORDER BY c.entry_id LIMIT $2) e) AS entries
         FROM pipeline_statuses s
        WHERE s.pipeline_id = $1 AND s.deleted_at IS NULL`,
      [pipelineId, take],
    );
    return rows.map((r) => ({
      statusId: r.status_id,
      contactCount: r.contact_count,
      entries: (r.entries as SqlRow[]).map(entry),
    }));
  }

  async statusEntries(pipelineId: string, statusId: string, take: number, after?: string): Promise<BoardEntryRecord[]> {
    const rows: SqlRow[] = await this.tx.manager.query(
      `SELECT c.entry_id AS id, c.contact_id, c.entered_at FROM contact_pipelines c
        WHERE c.pipeline_id = $1 AND c.status_id = $2 AND NOT c.contact_deleted
          AND ($3::uuid IS NULL OR c.entry_id > $3)
        ORDER BY c.entry_id LIMIT $4`,
      [pipelineId, statusId, after ?? null, take],
    );
    return rows.map(entry);
  }

  async contactStatus(pipelineId: string, contactId: string): Promise<ContactStatusView | null> {
    const [row]: SqlRow[] = await this.tx.manager.query(
      `SELECT c.contact_id, c.pipeline_id, c.status_id, s.name AS status_name, c.entered_at, c.version
         FROM contact_pipelines c JOIN pipeline_statuses s ON s.id = c.status_id
        WHERE c.pipeline_id = $1 AND c.contact_id = $2`,
      [pipelineId, contactId],
    );
    return row
      ? {
          contactId: row.contact_id,
          pipelineId: row.pipeline_id,
          statusId: row.status_id,
          statusName: row.status_name,
          enteredAt: row.entered_at,
          version: row.version,
        }
      : null;
  }

  async history(pipelineId: string, contactId: string, take: number, after?: string): Promise<HistoryEntryView[]> {
    const rows: SqlRow[] = await this.tx.manager.query(
      `SELECT h.id, h.status_id, s.name AS status_name, h.entered_at, h.exited_at, h.duration_ms
         FROM contact_pipeline_statuses h JOIN pipeline_statuses s ON s.id = h.status_id
        WHERE h.contact_id = $2 AND h.pipeline_id = $1 AND ($3::uuid IS NULL OR h.id > $3)
        ORDER BY h.id LIMIT $4`,
      [pipelineId, contactId, after ?? null, take],
    );
    return rows.map((r) => ({
      id: r.id,
      statusId: r.status_id,
      statusName: r.status_name,
      enteredAt: r.entered_at,
      exitedAt: r.exited_at,
      durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    }));
  }
}
