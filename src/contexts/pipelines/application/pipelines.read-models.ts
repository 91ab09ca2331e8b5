import type { PipelineStatusType } from '../pipelines.events';

/*
 * Ports of the read side: what the query handlers need from storage, as views. Infrastructure implements them
 * with hand-written SQL in the current tenant-scoped transaction. List methods take `limit + 1` and an `after` id
 * (keyset pagination) and return rows in page order.
 */

export interface PipelineStatusView {
  id: string;
  name: string;
  type: PipelineStatusType;
  color: string | null;
  position: number;
  allowedNext: string[] | null;
}

export interface PipelineView {
  id: string;
  name: string;
  description: string | null;
  color: string | null;
  sessionTimeoutMinutes: number | null;
  /** Live statuses in board order. */
  statuses: PipelineStatusView[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

/** A contact on the board: `id` is its stay in the status (time-ordered), the key the column pages on. */
export interface BoardEntryRecord {
  id: string;
  contactId: string;
  enteredAt: Date;
}

/** One status of the board: how many contacts are in it, and the first `take` of them (longest there first). */
export interface BoardColumnRecord {
  statusId: string;
  contactCount: number;
  entries: BoardEntryRecord[];
}

export interface ContactStatusView {
  contactId: string;
  pipelineId: string;
  statusId: string;
  statusName: string;
  /** When the contact entered this status. */
  enteredAt: Date;
  version: number;
}

export interface HistoryEntryView {
  id: string;
  statusId: string;
  statusName: string;
  enteredAt: Date;
  exitedAt: Date | null;
  /** How long the contact was in the status; null while it still is. */
  durationMs: number | null;
}

export interface PipelineReadModel {
  /** Oldest first; `deleted`: the deleted pipelines instead of the live ones. */
  list(projectId: string, deleted: boolean, take: number, after?: string): Promise<PipelineView[]>;
  /** A live pipeline. */
  get(projectId: string, id: string): Promise<PipelineView | null>;
  /** Every live status of a pipeline in board order, each with its count and first `take` entries. */
  board(pipelineId: string, take: number): Promise<BoardColumnRecord[]>;
  /** A page of one status's contacts, longest there first. */
  statusEntries(pipelineId: string, statusId: string, take: number, after?: string): Promise<BoardEntryRecord[]>;
  contactStatus(pipelineId: string, contactId: string): Promise<ContactStatusView | null>;
  /** The contact's stays in the pipeline's statuses, oldest first. */
  history(pipelineId: string, contactId: string, take: number, after?: string): Promise<HistoryEntryView[]>;
}

export const PIPELINE_READ_MODEL = Symbol('PipelineReadModel');
