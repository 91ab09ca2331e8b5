/*
 * CSV as RFC 4180 writes it: comma-separated cells, double quotes around cells holding a comma, quote or line
 * break (a quote doubled inside), records ending in LF or CRLF.
 */

/** A record of an upload: its cells, the line it starts on, and why it is malformed (its cells are then unusable). */
export interface CsvRecord {
  line: number;
  cells: string[];
  error?: string;
}

/** Longer records are rejected (and skipped up to the next line break), so one bad row cannot exhaust memory. */
export const MAX_RECORD_CHARS = 64 * 1024;

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

enum State {
  CellStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted cell: the cell's end, or the first of a doubled quote. */
  QuoteInQuoted,
  /** The record is too long: skipping to the next line break. */
  Skipping,
}

/**
 * An incremental parser: text goes in chunk by chunk (a record may span chunks), complete records come out. A
 * malformed record (a stray quote, text after a closing quote, an unterminated quote at the end) is returned with
 * its error, and parsing goes on with the next one. Blank lines are skipped.
 */
export class CsvParser {
  private state = State.CellStart;
  private cells: string[] = [];
  private cell = '';
  private error?: string;
  private line = 1;
  private recordLine = 1;
  private size = 0;

  push(text: string, out: CsvRecord[]): void {
    // The start of the current cell's text not yet copied into `cell` (copied in slices, not character by character).
    let run = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (++this.size > MAX_RECORD_CHARS && this.state !== State.Skipping) {
        this.state = State.Skipping;
        this.error = `the row is longer than ${MAX_RECORD_CHARS} characters`;
      }
      switch (this.state) {
        case State.Skipping:
          if (c === LF) this.endRecord(out);
          break;
        case State.Quoted:
          if (c === QUOTE) {
            this.cell += text.slice(run, i);
            this.state = State.QuoteInQuoted;
          } else if (c === LF) this.line += 1;
          break;
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            // A doubled quote: the second one starts the next run, so the cell gets one.
            this.state = State.Quoted;
            run = i;
          } else if (c === COMMA) this.endCell();
          else if (c === LF) this.endCell(out);
          else if (c !== CR) {
            this.error ??= 'text after the closing quote of a cell';
            this.state = State.Unquoted;
            run = i;
          }
          break;
        case State.CellStart:
          if (c === QUOTE) {
            this.state = State.Quoted;
            run = i + 1;
          } else if (c === COMMA) this.endCell();
          else if (c === LF) this.endCell(out);
          else if (c !== CR) {
            this.state = State.Unquoted;
            run = i;
          }
          break;
        case State.Unquoted:
          if (c === COMMA || c === LF || c === CR) {
            this.cell += text.slice(run, i);
            // A CR only ends a line before its LF: dropped.
            if (c === CR) run = i + 1;
            else this.endCell(c === LF ? out : undefined);
          } else if (c === QUOTE) this.error ??= 'a quote inside an unquoted cell (quote the whole cell and double its quotes)';
          break;
      }
    }
    if (this.state === State.Unquoted || this.state === State.Quoted) this.cell += text.slice(run);
  }

  /** The last record, when the upload does not end with a line break. */
  end(out: CsvRecord[]): void {
    if (this.state === State.Quoted) this.error ??= 'a quoted cell is not closed before the end of the upload';
    if (this.state !== State.CellStart || this.cells.length > 0) {
      this.cells.push(this.cell);
      this.endRecord(out, false);
    }
  }

  /** Ends the cell, and with `out` the record (at a line break). */
  private endCell(out?: CsvRecord[]): void {
    this.cells.push(this.cell);
    this.cell = '';
    this.state = State.CellStart;
    if (out) this.endRecord(out);
  }

  private endRecord(out: CsvRecord[], lineBreak = true): void {
    const blank = this.cells.length === 1 && this.cells[0] === '' && !this.error;
    if (!blank)
      out.push(this.error ? { line: this.recordLine, cells: [], error: this.error } : { line: this.recordLine, cells: this.cells });
    if (lineBreak) this.line += 1;
    this.recordLine = this.line;
    this.cells = [];
    this.cell = '';
    this.error = undefined;
    this.size = 0;
    this.state = State.CellStart;
  }
}

/**
 * Cells a spreadsheet would run as a formula (OWASP's CSV injection list) are exported with a leading `'`; so is a
 * cell that already starts with `'` before such a character, so that the import, which removes one, gets it back.
 */
const FORMULA = /^'*[=+\-@\t\r]/;

/** A cell as written: formula-looking text neutralised, quoted when it holds a separator, quote or line break. */
export function csvCell(value: string): string {
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Undoes `csvCell`'s formula protection on import, so an export imports back unchanged. */
export function uncsvCell(value: string): string {
  return value.charCodeAt(0) === 0x27 && FORMULA.test(value) ? value.slice(1) : value;
}
