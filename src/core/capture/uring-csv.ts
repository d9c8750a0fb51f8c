// The io_uring requests of a CSV capture, in their own plain RFC 4180 file
// beside it (FILE.io_uring.csv for FILE.csv), one row per request with the
// columns of uring-record.ts: a table of one shape each, as pandas, polars
// and DuckDB want them, rather than one table of two kinds of rows. The
// sidecar (csv-sidecar.ts) names the file and its row count.
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { IoUringRequests } from '../model/io-uring-requests.js';
import { AtomicFile } from './atomic-file.js';
import { csvField } from './csv-schema.js';
import { LineReader } from './line-reader.js';
import type { WallClock } from './timestamp.js';
import { IO_URING_COLUMNS, ioUringRecord, requestOfRecord } from './uring-record.js';

// The header line, exactly (without its newline).
export const IO_URING_CSV_HEADER = IO_URING_COLUMNS.join(',');

// Where the requests of the CSV capture at csvPath go: "x.csv" -> "x.io_uring.csv" (else "x.io_uring.csv" appended).
export function ioUringCsvPathOf(csvPath: string): string {
  return csvPath.endsWith('.csv') ? `${csvPath.slice(0, -4)}.io_uring.csv` : `${csvPath}.io_uring.csv`;
}

// Writes the requests file: created with the first request, committed (renamed into place) before the sidecar.
export class IoUringCsvWriter {
  private file: AtomicFile | null = null;
  private count = 0;

  constructor(
    readonly path: string,
    private readonly clock: WallClock,
  ) {}

  // requests written so far
  get rows(): number {
    return this.count;
  }

  // Appends the requests of a batch.
  write(reqs: IoUringRequests): void {
    if (reqs.length === 0) return;
    if (this.file === null) {
      this.file = new AtomicFile(this.path);
      this.file.write(`${IO_URING_CSV_HEADER}\n`);
    }
    let text = '';
    for (let i = 0; i < reqs.length; i++) {
      const r = ioUringRecord(reqs, i, this.clock);
      text += `${IO_URING_COLUMNS.map((c) => csvValue(r[c]!)).join(',')}\n`;
    }
    this.file.write(text);
    this.count += reqs.length;
  }

  // Renames the file into place (when there were requests); its name relative to the capture, or null.
  commit(): string | null {
    if (this.file === null) return null;
    this.file.commit();
    return basename(this.path);
  }

  abort(): void {
    this.file?.abort();
  }
}

function csvValue(v: string | number | boolean | null): string {
  if (v === null) return '';
  return typeof v === 'string' ? csvField(v) : String(v);
}

// The requests file a sidecar names (`file` relative to the capture's folder),
// read in batches of `batchRows`; InputError naming the file and line when a
// row is wrong or the row count differs from the sidecar's.
export function* readIoUringCsv(csvPath: string, file: string, rows: number, clock: WallClock, batchRows: number): Generator<IoUringRequests> {
  const path = join(dirname(csvPath), file);
  const lines = new LineReader(path);
  try {
    const head = lines.next();
    if (head === null || head.bytes.toString('utf8') !== IO_URING_CSV_HEADER) {
      throw new InputError(`line 1: expected the header "${IO_URING_CSV_HEADER}"`, { file: path, line: 1 });
    }
    let out = new IoUringRequests(batchRows);
    let seen = 0;
    for (let line = lines.next(); line !== null; line = lines.next()) {
      const number = line.number;
      let text = line.bytes.toString('utf8');
      // a quoted field may hold newlines: the record goes on
      while (openQuote(text)) {
        const more = lines.next();
        if (more === null) throw new InputError(`line ${number}: a quoted field is not closed`, { file: path, line: number });
        text += `\n${more.bytes.toString('utf8')}`;
      }
      if (text === '') continue;
      const fields = splitCsv(text);
      if (fields.length !== IO_URING_COLUMNS.length) {
        throw new InputError(`line ${number}: ${fields.length} fields, expected ${IO_URING_COLUMNS.length}`, { file: path, line: number });
      }
      const r = requestOfRecord((f) => fields[IO_URING_COLUMNS.indexOf(f as (typeof IO_URING_COLUMNS)[number])], clock);
      if (typeof r === 'string') throw new InputError(`line ${number}: ${r}`, { file: path, line: number });
      out.push(r);
      seen += 1;
      if (out.full) {
        yield out;
        out = new IoUringRequests(batchRows);
      }
    }
    if (out.length > 0) yield out;
    if (seen !== rows) throw new InputError(`the sidecar says ${rows} io_uring requests, the file has ${seen}`, { file: path });
  } finally {
    lines.close();
  }
}

// whether a record's text ends inside a quoted field
function openQuote(text: string): boolean {
  let quotes = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x22) quotes += 1;
  return quotes % 2 === 1;
}

// RFC 4180 fields of one record
function splitCsv(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return [...fields, value + text.slice(i)];
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push(value);
    } else {
      const comma = text.indexOf(',', i);
      fields.push(text.slice(i, comma < 0 ? text.length : comma));
      i = comma < 0 ? text.length : comma;
    }
    if (i >= text.length) return fields;
    i += 1; // the comma
    if (i === text.length) return [...fields, ''];
  }
}
