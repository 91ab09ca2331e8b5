import { BadRequestException, HttpException, HttpStatus, ValidationPipe } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { createValidationPipe } from '#http';
import { ContactsErrors } from '../contacts.errors';
import { UploadRecord } from '../application/contact-import.commands';
import { ContactFields } from '../domain/contact';
import { ImportFormat } from '../domain/contact-import';
import { CreateContactDto } from './contact.dto';
import { CsvParser, CsvRecord, MAX_RECORD_CHARS, uncsvCell } from './csv';

/** The columns a CSV upload may have (besides `customFields.<key>`), named like the create body's fields. */
export const CSV_COLUMNS = [
  'name',
  'email',
  'phone',
  'externalId',
  'tags',
  'language',
  'timezone',
  'sourceChannel',
  'profilePictureUrl',
] as const;
const CUSTOM_FIELD_PREFIX = 'customFields.';
/** Tags of a CSV cell: `vip|newsletter` or `vip;newsletter`. */
const TAG_SEPARATOR = /[|;]/;

type Column = (typeof CSV_COLUMNS)[number] | { customField: string };

/**
 * The rows of an upload, read while it arrives, each checked as the create route checks its body (the same
 * validation pipe), so a row is either the fields of a contact or the reason it has none. The CSV header is read
 * before anything else (`open`): a wrong one answers 400 before an import starts.
 */
export class UploadRecords {
  private readonly pipe: ValidationPipe = createValidationPipe();

  private constructor(
    private readonly format: ImportFormat,
    private readonly texts: AsyncIterator<string>,
    private readonly columns: Column[],
    private readonly buffered: CsvRecord[],
    private readonly csv: CsvParser,
  ) {}

  static async open(body: Readable, format: ImportFormat, maxBytes: number): Promise<UploadRecords> {
    const texts = decode(body, maxBytes);
    const csv = new CsvParser();
    if (format === 'ndjson') return new UploadRecords(format, texts, [], [], csv);
    const buffered: CsvRecord[] = [];
    while (buffered.length === 0) {
      const next = await texts.next();
      if (next.done) {
        csv.end(buffered);
        if (buffered.length === 0) throw ContactsErrors.invalidImportHeader('The upload is empty: a CSV starts with its header row');
      } else csv.push(next.value, buffered);
    }
    const header = buffered.shift()!;
    return new UploadRecords(format, texts, columnsOf(header), buffered, csv);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<UploadRecord> {
    if (this.format === 'ndjson') {
      for await (const line of ndjsonLines(this.texts)) yield this.check(line.line, line.error, () => parseObject(line.text));
      return;
    }
    let records = this.buffered;
    for (;;) {
      for (const record of records) yield this.check(record.line, record.error, () => this.fromCells(record.cells));
      records = [];
      const next = await this.texts.next();
      if (next.done) break;
      this.csv.push(next.value, records);
    }
    records = [];
    this.csv.end(records);
    for (const record of records) yield this.check(record.line, record.error, () => this.fromCells(record.cells));
  }

  private async check(row: number, malformed: string | undefined, read: () => object): Promise<UploadRecord> {
    try {
      if (malformed) throw ContactsErrors.malformedRow(`Malformed row: ${malformed}`);
      const fields = (await this.pipe.transform(read(), { type: 'body', metatype: CreateContactDto })) as ContactFields;
      return { row, fields };
    } catch (error) {
      if (error instanceof BadRequestException) return { row, rejected: { code: 'validation', message: messageOf(error) } };
      const { code, message } = error as { code?: string; message: string };
      if (code?.startsWith('contact_import.')) return { row, rejected: { code, message } };
      throw error;
    }
  }

  /** A CSV row as a create body: empty cells are left out; custom fields stay text until their types are known. */
  private fromCells(cells: string[]): object {
    if (cells.length !== this.columns.length)
      throw ContactsErrors.malformedRow(`Malformed row: ${cells.length} cells where the header has ${this.columns.length}`);
    const body: Record<string, unknown> = {};
    const customFields: Record<string, string> = {};
    this.columns.forEach((column, i) => {
      const cell = uncsvCell(cells[i]);
      if (cell === '') return;
      if (typeof column === 'object') customFields[column.customField] = cell;
      else if (column === 'tags') body.tags = cell.split(TAG_SEPARATOR).filter((t) => t.trim() !== '');
      else body[column] = cell;
    });
    if (Object.keys(customFields).length > 0) body.customFields = customFields;
    return body;
  }
}

function columnsOf(header: CsvRecord): Column[] {
  if (header.error) throw ContactsErrors.invalidImportHeader(`Malformed header row: ${header.error}`);
  const names = header.cells.map((c) => c.trim());
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw ContactsErrors.invalidImportHeader(`The column "${duplicate}" appears twice`);
  return names.map((name) => {
    if ((CSV_COLUMNS as readonly string[]).includes(name)) return name as Column;
    if (name.startsWith(CUSTOM_FIELD_PREFIX) && name.length > CUSTOM_FIELD_PREFIX.length)
      return { customField: name.slice(CUSTOM_FIELD_PREFIX.length) };
    throw ContactsErrors.invalidImportHeader(
      `Unknown column "${name}": columns are ${CSV_COLUMNS.join(', ')} and customFields.<key> (see the route's description)`,
    );
  });
}

function parseObject(text: string): object {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw ContactsErrors.malformedRow('Malformed row: not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw ContactsErrors.malformedRow('Malformed row: each line must be a JSON object');
  return value;
}

/** The non-blank lines of an NDJSON upload, with their line numbers; an overlong line is skipped with its error. */
async function* ndjsonLines(texts: AsyncIterator<string>): AsyncGenerator<{ line: number; text: string; error?: string }> {
  let partial = '';
  let line = 1;
  let tooLong = false;
  for (let next = await texts.next(); !next.done; next = await texts.next()) {
    let start = 0;
    for (let lf = next.value.indexOf('\n'); lf !== -1; lf = next.value.indexOf('\n', start)) {
      const text = partial + next.value.slice(start, lf);
      partial = '';
      start = lf + 1;
      if (tooLong) yield { line, text: '', error: `the row is longer than ${MAX_RECORD_CHARS} characters` };
      else if (text.trim() !== '') yield { line, text };
      tooLong = false;
      line += 1;
    }
    if (!tooLong) partial += next.value.slice(start);
    if (partial.length > MAX_RECORD_CHARS) {
      tooLong = true;
      partial = '';
    }
  }
  if (tooLong) yield { line, text: '', error: `the row is longer than ${MAX_RECORD_CHARS} characters` };
  else if (partial.trim() !== '') yield { line, text: partial };
}

/** The body as text, chunk by chunk: at most `maxBytes` (413 beyond), UTF-8 (a character split between chunks is kept whole). */
async function* decode(body: Readable, maxBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > maxBytes) throw tooLarge(maxBytes);
      yield decoder.decode(chunk, { stream: true });
    }
  } catch (error) {
    // The client went away mid-upload (Node's `aborted` error on the request).
    if ((error as { code?: string }).code === 'ECONNRESET')
      throw new BadRequestException({ message: 'The upload was interrupted before its end', code: 'contact_import.upload_interrupted' });
    throw error;
  }
  yield decoder.decode();
}

export function tooLarge(maxBytes: number): HttpException {
  return new HttpException(
    { message: `The upload is larger than ${maxBytes} bytes (CONTACT_IMPORT_MAX_BYTES)`, code: 'contact_import.too_large' },
    HttpStatus.PAYLOAD_TOO_LARGE,
  );
}

function messageOf(error: BadRequestException): string {
  const body = error.getResponse() as { errors?: { field: string; message: string }[] };
  return (body.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ') || error.message;
}
