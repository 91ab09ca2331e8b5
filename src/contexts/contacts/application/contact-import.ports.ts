import type { Contact, ContactState } from '../domain/contact';
import type { ImportCounts, ImportFormat, ImportMode, ImportStatus, RejectedRow } from '../domain/contact-import';
import type { ContactsScope } from './contact.views';

/** An import as the API shows it. */
export interface ImportView extends ImportCounts {
  id: string;
  format: ImportFormat;
  mode: ImportMode;
  status: ImportStatus;
  /** The first MAX_LISTED_REJECTIONS rejected rows, in upload order (`rejected` counts them all). */
  rejectedRows: RejectedRow[];
  /** Why a failed import stopped. */
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** Port: the imports of the current tenant (RLS) and their progress. */
export interface ContactImportRepository {
  start(scope: ContactsScope, format: ImportFormat, mode: ImportMode, startedBy: string | null): Promise<ImportView>;
  /** Locks the import's row until the transaction ends (a cancel waits for the batch in flight); false unless running. */
  lockRunning(id: string): Promise<boolean>;
  /** The committed counts, and rejections to add to the listed ones. */
  recordProgress(id: string, counts: ImportCounts, newlyListed: readonly RejectedRow[]): Promise<void>;
  /** Ends a running import (a cancelled one stays cancelled). */
  finish(id: string, status: 'completed' | 'failed', error?: string): Promise<void>;
  /** Shows that the import's process is alive: an import without heartbeat for a while reads as failed. */
  heartbeat(id: string): Promise<void>;
  /** Cancels a running import; answers the import as it is afterwards (null when there is none). */
  cancel(projectId: string, id: string, cancelledBy: string | null): Promise<ImportView | null>;
  get(projectId: string, id: string): Promise<ImportView | null>;
  /** Newest first. */
  list(projectId: string, take: number, before?: string): Promise<ImportView[]>;
}

/** Port: set-based reads and writes of many contacts in the current transaction. */
export interface ContactBulkStore {
  /** The live contacts of the project with any of these keys (emails and phones as stored). */
  liveByKeys(projectId: string, keys: { externalId: string[]; email: string[]; phone: string[] }): Promise<ContactState[]>;
  /**
   * Inserts the new contacts and compare-and-swaps the changed ones, with their outbox events, event-store entries
   * and snapshots, as ContactRepository.save does for one. A concurrent write (version moved, unique key taken)
   * throws VersionConflictError: the batch is then retried in a new transaction.
   */
  saveAll(contacts: readonly Contact[]): Promise<void>;
}

export const CONTACT_IMPORT_REPOSITORY = Symbol('ContactImportRepository');
export const CONTACT_BULK_STORE = Symbol('ContactBulkStore');
