import { setImmediate } from 'node:timers/promises';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { VersionConflictError } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ContactsErrors } from '../contacts.errors';
import { ContactFields } from '../domain/contact';
import {
  ImportCounts,
  ImportFormat,
  ImportMode,
  MAX_LISTED_REJECTIONS,
  RejectedRow,
  emptyCounts,
  typedCells,
} from '../domain/contact-import';
import { CustomFieldDefinition } from '../domain/contact-values';
import { CUSTOM_FIELD_REPOSITORY, CustomFieldRepository } from '../domain/contacts.repositories';
import {
  CONTACT_BULK_STORE,
  CONTACT_IMPORT_REPOSITORY,
  ContactBulkStore,
  ContactImportRepository,
  ImportView,
} from './contact-import.ports';
import { ContactsScope } from './contact.views';
import { ImportBatch, ImportRow } from './import-batch';

/** A row of the upload as the HTTP layer read it: the create body it holds, or why it holds none. */
export type UploadRecord = { row: number; fields: ContactFields } | { row: number; rejected: Omit<RejectedRow, 'row'> };

/** Rows per transaction: large enough that round trips vanish, small enough that a cancel or a lock waits little. */
export const IMPORT_BATCH_ROWS = 2000;
const HEARTBEAT_MS = 30_000;
const YIELD_EVERY_ROWS = 50;
/** Retries of a batch that lost a race with another writer (it re-reads the contacts it matches each time). */
const MAX_ATTEMPTS = 5;

export class ImportContactsCommand extends Command<ImportView> {
  constructor(
    readonly scope: ContactsScope,
    readonly startedBy: string | null,
    readonly format: ImportFormat,
    readonly mode: ImportMode,
    readonly records: AsyncIterable<UploadRecord>,
  ) {
    super();
  }
}

/**
 * Reads the upload while it arrives and commits it in batches, each in its own transaction with the import's
 * counts, so the counts always match what is committed and a cancel takes effect between two batches. Nothing
 * is buffered beyond one batch. An error of the upload itself (too large, aborted) fails the import and is
 * rethrown; the batches committed before it stay.
 */
@CommandHandler(ImportContactsCommand)
export class ImportContactsHandler implements ICommandHandler<ImportContactsCommand> {
  constructor(
    private readonly tx: TransactionRunner,
    @Inject(CONTACT_IMPORT_REPOSITORY) private readonly imports: ContactImportRepository,
    @Inject(CONTACT_BULK_STORE) private readonly contacts: ContactBulkStore,
    @Inject(CUSTOM_FIELD_REPOSITORY) private readonly customFields: CustomFieldRepository,
  ) {}

  async execute(command: ImportContactsCommand): Promise<ImportView> {
    const { scope, startedBy, format, mode } = command;
    const definitions = await this.tx.run(() => this.customFields.definitions(scope.projectId));
    const started = await this.tx.run(() => this.imports.start(scope, format, mode, startedBy));
    const run = new ImportRun(this.tx, this.imports, this.contacts, scope, started.id, mode, definitions, format === 'csv');
    // In a context of its own (runAsTenant), so it never joins the transaction of the batch in flight.
    const heartbeat = setInterval(
      () => void this.tx.runAsTenant(scope.tenantId, () => this.imports.heartbeat(started.id)).catch(() => undefined),
      HEARTBEAT_MS,
    );
    heartbeat.unref();
    try {
      if (await run.consume(command.records)) await this.tx.run(() => this.imports.finish(started.id, 'completed'));
    } catch (error) {
      // Best effort: when the database itself is away, the missing heartbeat marks the import failed later.
      await this.tx.run(() => this.imports.finish(started.id, 'failed', failureOf(error))).catch(() => undefined);
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
    return (await this.tx.run(() => this.imports.get(scope.projectId, started.id)))!;
  }
}

type Pending = ImportRow | RejectedRow;

/**
 * One import in progress and the counts it committed so far. While a batch is being written, the next one is read
 * and checked (the database and this process work at the same time); memory holds at most these two batches.
 */
class ImportRun {
  private counts: ImportCounts = emptyCounts();

  constructor(
    private readonly tx: TransactionRunner,
    private readonly imports: ContactImportRepository,
    private readonly contacts: ContactBulkStore,
    private readonly scope: ContactsScope,
    private readonly id: string,
    private readonly mode: ImportMode,
    private readonly definitions: readonly CustomFieldDefinition[],
    /** CSV: custom field values are text cells, read as their fields' types. */
    private readonly textCells: boolean,
  ) {}

  /** Commits every record; false when the import was cancelled (the upload is then left unread). */
  async consume(records: AsyncIterable<UploadRecord>): Promise<boolean> {
    let incoming: Pending[] = [];
    // The batch being written: resolves with the rows it left for the next batch, or undefined once cancelled.
    let writing: Promise<Pending[] | undefined> = Promise.resolve([]);
    for await (const record of records) {
      incoming.push('fields' in record ? this.prepare(record.row, record.fields) : { row: record.row, ...record.rejected });
      // Checking rows never waits on I/O by itself: without a pause now and then, each answer of the database to
      // the batch in flight would wait for a whole chunk of the upload to be checked, and the database would idle.
      if (incoming.length % YIELD_EVERY_ROWS === 0) await setImmediate();
      if (incoming.length < IMPORT_BATCH_ROWS) continue;
      const carried = await writing;
      if (!carried) return false;
      writing = this.commitBatch([...carried, ...incoming]);
      // Awaited at the next batch or at the end; handled now, so a failure meanwhile is not an unhandled rejection.
      writing.catch(() => undefined);
      incoming = [];
    }
    const carried = await writing;
    if (!carried) return false;
    for (let rest = [...carried, ...incoming]; rest.length > 0;) {
      const left = await this.commitBatch(rest);
      if (!left) return false;
      rest = left;
    }
    return true;
  }

  private prepare(row: number, fields: ContactFields): Pending {
    if (!this.textCells || !fields.customFields) return ImportBatch.prepare(row, fields);
    return ImportBatch.prepare(row, { ...fields, customFields: typedCells(fields.customFields, this.definitions) });
  }

  /** Commits the rows up to the first that must wait for the next batch (returned); undefined when cancelled. */
  private async commitBatch(rows: Pending[]): Promise<Pending[] | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        // A context of its own for each batch: the upload goes on being read in the request's meanwhile.
        const outcome = await this.tx.runAsTenant(this.scope.tenantId, () => this.writeBatch(rows));
        if (!outcome) return undefined;
        this.counts = outcome.counts;
        return rows.slice(outcome.consumed);
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async writeBatch(pending: readonly Pending[]): Promise<{ counts: ImportCounts; consumed: number } | undefined> {
    if (!(await this.imports.lockRunning(this.id))) return undefined;
    const rows = pending.filter((p): p is ImportRow => 'fields' in p);
    const existing = await this.contacts.liveByKeys(this.scope.projectId, ImportBatch.keysOf(rows));
    const batch = new ImportBatch(this.scope, this.mode, this.definitions, existing);
    const counts = { ...this.counts };
    const rejected: RejectedRow[] = [];
    let consumed = 0;
    for (const row of pending) {
      const outcome = 'fields' in row ? batch.apply(row) : row;
      if (outcome === undefined) break;
      consumed += 1;
      counts.rowsRead += 1;
      if (typeof outcome === 'string') counts[outcome] += 1;
      else rejected.push(outcome);
    }
    await this.contacts.saveAll(batch.changed);
    const listed = rejected.slice(0, Math.max(0, MAX_LISTED_REJECTIONS - this.counts.rejected));
    counts.rejected += rejected.length;
    await this.imports.recordProgress(this.id, counts, listed);
    return { counts, consumed };
  }
}

/** What the import's resource says of a failure: a client's own error as is, anything else without internals. */
function failureOf(error: unknown): string {
  const status = (error as { getStatus?: () => number }).getStatus?.();
  if (status !== undefined && status < 500) return (error as Error).message;
  return 'The import stopped on an unexpected error; the rows counted here were committed';
}

export class CancelImportCommand extends Command<ImportView> {
  constructor(
    readonly projectId: string,
    readonly id: string,
    readonly cancelledBy: string | null,
  ) {
    super();
  }
}

/** Stops a running import after the batch in flight; what it committed stays. Cancelling a cancelled import is a no-op. */
@CommandHandler(CancelImportCommand)
export class CancelImportHandler implements ICommandHandler<CancelImportCommand> {
  constructor(@Inject(CONTACT_IMPORT_REPOSITORY) private readonly imports: ContactImportRepository) {}

  async execute({ projectId, id, cancelledBy }: CancelImportCommand): Promise<ImportView> {
    const view = await this.imports.cancel(projectId, id, cancelledBy);
    if (!view) throw ContactsErrors.notFound('contact_import', id);
    if (view.status !== 'cancelled') throw ContactsErrors.importNotRunning(view.status);
    return view;
  }
}
