import type { CustomFieldDefinition } from './contact-values';

/*
 * A bulk import of contacts: its status, its counts and the rows it rejected. One upload is one import; its rows
 * are committed in batches, and the counts always describe what has been committed.
 */

export type ImportFormat = 'csv' | 'ndjson';
export type ImportMode = 'upsert' | 'create_only';
export type ImportStatus = 'running' | 'completed' | 'failed' | 'cancelled';

/** A row the import did not write, with the code and message the create route would have answered. */
export interface RejectedRow {
  /** The line of the upload where the row starts (a CSV header is line 1). */
  row: number;
  code: string;
  message: string;
}

export interface ImportCounts {
  rowsRead: number;
  created: number;
  updated: number;
  /** Matched a contact that already had every value of the row: no write, no event. */
  unchanged: number;
  rejected: number;
}

/** How many rejected rows an import lists (all are counted): a bad upload of millions stays a small resource. */
export const MAX_LISTED_REJECTIONS = 1000;

export function emptyCounts(): ImportCounts {
  return { rowsRead: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Custom field values read from text cells (CSV), as their fields' types: numbers and `true`/`false` become
 * numbers and booleans; anything else stays text, so the usual validation rejects a value its field cannot hold.
 */
export function typedCells(cells: Record<string, unknown>, definitions: readonly CustomFieldDefinition[]): Record<string, unknown> {
  const types = new Map(definitions.map((d) => [d.key, d.type]));
  const typed: Record<string, unknown> = {};
  for (const [key, cell] of Object.entries(cells)) {
    const type = types.get(key);
    if (typeof cell !== 'string') typed[key] = cell;
    else if (type === 'number' && NUMBER.test(cell.trim())) typed[key] = Number(cell);
    else if (type === 'boolean' && /^(?:true|false)$/i.test(cell.trim())) typed[key] = cell.trim().toLowerCase() === 'true';
    else typed[key] = cell;
  }
  return typed;
}
