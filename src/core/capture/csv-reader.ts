// Streaming CSV capture reader: a hand-written parser over Buffers that fills
// event batches column by column (no per-line split, no regex on the hot path),
// in bounded memory whatever the file size.
import { refill } from './refill.js';
import { closeSync } from 'node:fs';
import { openInputFile } from './input-file.js';
import { InputError } from '../errors.js';
import { ARG_COUNT, EventBatch, type CaptureMeta, type CaptureSource } from '../model/events.js';
import type { ListenPressure } from '../model/listen.js';
import type { StackHealth } from '../model/stacks.js';
import type { LoadLevel } from '../model/load.js';
import { hostArch, syscallNumber } from '../model/syscall-names.js';
import { BadRows } from './bad-rows.js';
import { CSV_COLUMNS, CSV_HEADER, CSV_HEADER_V1, CSV_COLUMNS_V1, CSV_COLUMNS_V2, CSV_HEADER_V2 } from './csv-schema.js';
import { FoldedStacks } from './folded-stacks.js';
import { readSidecar, sidecarPathOf, type IoUringFileRef, type Sidecar } from './csv-sidecar.js';
import { readIoUringCsv } from './uring-csv.js';
import { Interner } from './interner.js';
import { NO_FILTERS, parseFilters, parseLoadText } from './meta.js';
import { ProgressBar } from './progress.js';
import { BATCH_ROWS, type CaptureEnd, type CaptureFile, type ReaderOptions } from './reader-types.js';
import { parseWallNs, WallClock, type WallTime } from './timestamp.js';

const CHUNK_BYTES = 4 << 20;
// the metadata and header must be within this many bytes of the start
const HEAD_BYTES = 1 << 20;
// no row is longer (paths are at most 4096 bytes): a longer one has a runaway quote
const MAX_ROW_BYTES = 1 << 20;

const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const HASH = 0x23;
const MINUS = 0x2d;

const INCOMPLETE = -1;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_PID = 0x7fffffff;
// syscall tag of a name unknown for an architecture that has a table
const UNKNOWN_SYSCALL = -2;

// Opens a CSV capture: reads the metadata and header now (throwing InputError
// when they are wrong), the rows as `batches` is iterated.
export function openCsvCapture(path: string, options: ReaderOptions = {}): CaptureFile {
  return new CsvCapture(path, options);
}

class CsvCapture implements CaptureSource {
  meta: CaptureMeta;
  private readonly fd: number;
  private readonly size: number;
  private buf: Buffer;
  // unparsed bytes are buf[start, end); filePos is where the next read starts
  private start = 0;
  private end = 0;
  private filePos = 0;
  private eof = false;
  // 1-based number of the line at `start`
  private line = 1;
  private clock: WallClock | null = null;
  private readonly skipBad: boolean;
  private readonly bad = new BadRows();
  private readonly batchRows: number;
  private rowsRead = 0;
  private trailerRows: { rows: number; line: number } | null = null;
  // the row count of FILE.meta.json, when the capture has one
  private sidecarRows: number | null = null;
  // the io_uring requests file the sidecar names, if any
  private ioUringFile: IoUringFileRef | null = null;
  private durationNs: number | null = null;
  private lostEvents = 0;
  private cpuNs: number | null = null;
  private threadNs: number | null = null;
  private threadCount: number | null = null;
  private runqNs: number | null = null;
  private load: LoadLevel | null = null;
  private listen: ListenPressure | null = null;
  private stackHealth: StackHealth | null = null;
  private readonly warnings: string[] = [];
  // the file's columns: with off_cpu_ns and runq_ns, or the older layout without
  private columns: readonly string[] = CSV_COLUMNS;
  private cpuColumns = true;
  // the stack column (after path): absent in captures written before stacks
  private stackColumn = true;
  // tag 1: the text holds a comma (as for paths)
  private readonly stackTexts = new Interner((text) => (text.includes(',') ? 1 : 0));
  private readonly stacks = new FoldedStacks();
  private consumed = false;
  private readonly progress: ProgressBar | null;
  private readonly comms = new Interner();
  // tag 1: the text holds a comma (an unquoted field with one means extra fields)
  private readonly paths = new Interner((text) => (text.includes(',') ? 1 : 0));
  private readonly syscalls: Interner;
  private batch: EventBatch;

  constructor(
    private readonly path: string,
    options: ReaderOptions,
  ) {
    this.skipBad = options.skipBad ?? false;
    this.batchRows = options.batchRows ?? BATCH_ROWS;
    this.batch = new EventBatch(this.batchRows);
    ({ fd: this.fd, size: this.size } = openInputFile(path));
    this.buf = Buffer.allocUnsafe(options.chunkBytes ?? Math.min(CHUNK_BYTES, Math.max(this.size, 1 << 16)));
    try {
      this.meta = this.readHead();
      const side = readSidecar(path);
      if (side !== null) this.useSidecar(side);
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
    const arch = this.meta.arch;
    const hasTable = syscallNumber(arch, 'read') !== null;
    this.syscalls = new Interner((name) => syscallNumber(arch, name) ?? (hasTable ? UNKNOWN_SYSCALL : -1));
    const out = options.progress === undefined ? process.stderr : options.progress;
    this.progress = out !== null && ProgressBar.wanted(out, this.size) ? new ProgressBar(out, this.size, 'reading') : null;
  }

  get batches(): AsyncIterable<EventBatch> {
    return { [Symbol.asyncIterator]: () => this.iterate() };
  }

  final(): CaptureEnd {
    return {
      meta: {
        ...this.meta,
        durationNs: this.durationNs,
        lostEvents: this.lostEvents,
        ...(this.cpuNs === null ? {} : { cpuNs: this.cpuNs }),
        ...(this.threadNs === null ? {} : { threadNs: this.threadNs }),
        ...(this.threadCount === null ? {} : { threadCount: this.threadCount }),
        ...(this.runqNs === null ? {} : { runqNs: this.runqNs }),
        ...(this.load === null ? {} : { load: this.load }),
        ...(this.listen === null ? {} : { listen: this.listen }),
        ...(this.stackHealth === null ? {} : { stackHealth: this.stackHealth }),
      },
      profile: null,
      skipped: this.bad.skipped,
      ...(this.warnings.length === 0 ? {} : { warnings: [...this.warnings] }),
    };
  }

  private async *iterate(): AsyncGenerator<EventBatch> {
    if (this.consumed) throw new Error(`${this.path}: batches can be read only once`);
    this.consumed = true;
    try {
      for (;;) {
        const view = this.buf.subarray(0, this.end);
        this.start = this.parseRows(view, this.start, this.eof);
        if (this.batch.length === this.batch.capacity) {
          this.progress?.update(this.filePos - (this.end - this.start), this.rowsRead);
          yield this.batch;
          this.batch = new EventBatch(this.batchRows);
          continue;
        }
        if (this.eof) break;
        this.fill();
      }
      if (this.batch.length > 0) yield this.batch;
      this.checkTrailer();
      // the requests after the calls, in batches with no call rows
      if (this.ioUringFile !== null) {
        const { file, rows } = this.ioUringFile;
        for (const reqs of readIoUringCsv(this.path, file, rows, this.clock!, this.batchRows)) {
          const carrier = new EventBatch(0);
          carrier.ioUring = reqs;
          yield carrier;
        }
      }
    } finally {
      this.progress?.clear();
      closeSync(this.fd);
    }
  }

  // Moves the unparsed tail to the front and reads more (growing the buffer for a long row).
  private fill(): void {
    const w = refill(this.fd, { buf: this.buf, start: this.start, end: this.end, filePos: this.filePos });
    this.buf = w.buf;
    this.start = w.start;
    this.end = w.end;
    this.filePos = w.filePos;
    this.eof = w.eof;
  }

  // Reads the `# ` metadata lines and the header line.
  private readHead(): CaptureMeta {
    this.fill();
    if (this.end === 0) throw this.error(1, `empty file, expected the header line "${CSV_HEADER}"`);
    const meta: Record<string, string> = {};
    const metaLines: Record<string, number> = {};
    let p = 0;
    for (;;) {
      const nl = this.buf.subarray(0, this.end).indexOf(LF, p);
      if (nl < 0 && !this.eof) {
        if (this.end >= HEAD_BYTES) throw this.error(this.line, `no header line "${CSV_HEADER}" in the first ${HEAD_BYTES} bytes`);
        // this.start is 0 here: fill() appends
        this.fill();
        continue;
      }
      const lineEnd = nl < 0 ? this.end : nl;
      let text = this.buf.toString('utf8', p, lineEnd);
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (text.startsWith('#')) {
        if (this.line === 1) {
          const magic = /^# syscall-prof capture v(\d+)\s*$/.exec(text);
          if (magic !== null && magic[1] !== '1') throw this.error(1, `unsupported capture version ${magic[1]} (this reader reads version 1)`);
        }
        const kv = /^#\s*([a-z_]+):\s?(.*)$/.exec(text);
        if (kv !== null) {
          meta[kv[1]!] = kv[2]!;
          metaLines[kv[1]!] = this.line;
        }
      } else if (text !== '') {
        if (text === CSV_HEADER_V1) {
          this.columns = CSV_COLUMNS_V1;
          this.cpuColumns = false;
          this.stackColumn = false;
        } else if (text === CSV_HEADER_V2) {
          this.columns = CSV_COLUMNS_V2;
          this.stackColumn = false;
        } else if (text !== CSV_HEADER) {
          const shown = text.length > 80 ? `${text.slice(0, 80)}...` : text;
          throw this.error(this.line, `expected the header line "${CSV_HEADER}", got "${shown}"`);
        }
        this.line += 1;
        this.start = nl < 0 ? this.end : nl + 1;
        break;
      }
      if (nl < 0) throw this.error(this.line, `expected the header line "${CSV_HEADER}", got the end of the file`);
      this.line += 1;
      p = nl + 1;
    }

    let start: WallTime | null = null;
    if (meta['start_real_ns'] !== undefined) {
      start = parseWallNs(meta['start_real_ns'].trim());
      if (start === null) throw this.error(metaLines['start_real_ns']!, `start_real_ns: expected ns since the Unix epoch (1 to 19 digits), got "${meta['start_real_ns']}"`);
      this.clock = new WallClock(start);
    }
    let filters = NO_FILTERS;
    if (meta['filters'] !== undefined) {
      const parsed = parseFilters(meta['filters']);
      if (typeof parsed === 'string') throw this.error(metaLines['filters']!, `filters: ${parsed}`);
      filters = parsed;
    }
    return {
      backend: meta['backend'] ?? 'unknown',
      arch: meta['arch'] ?? hostArch(),
      target: meta['target'] ?? '',
      // without metadata, the first row's time becomes the start (set in row())
      startRealNs: start === null ? '0' : meta['start_real_ns']!.trim(),
      durationNs: null,
      lostEvents: 0,
      filters,
    };
  }

  // Parses rows from p until the batch is full or no complete row is left; returns the new position.
  private parseRows(buf: Buffer, p: number, eof: boolean): number {
    const end = buf.length;
    const batch = this.batch;
    while (p < end && batch.length < batch.capacity) {
      const c = buf[p]!;
      if (c === LF) {
        p += 1;
        this.line += 1;
        continue;
      }
      if (c === CR && p + 1 < end && buf[p + 1] === LF) {
        p += 2;
        this.line += 1;
        continue;
      }
      if (c === HASH) {
        let nl = buf.indexOf(LF, p);
        const cut = nl < 0;
        if (cut) {
          if (!eof) return p;
          nl = end;
        }
        const text = buf.toString('utf8', p, nl).replace(/\r$/, '');
        // the writer ends every line: a last line without its newline was cut, its value untrusted
        if (cut) this.cutTrailerLine(text);
        else this.trailerLine(text);
        p = nl + 1;
        this.line += 1;
        continue;
      }
      const next = this.row(buf, p, end, eof);
      if (next === INCOMPLETE) return p;
      p = next;
    }
    return p;
  }

  // Parses one row starting at p into the next batch slot; returns the position
  // after its line, or INCOMPLETE when the buffer ends inside it (and more may come).
  private row(buf: Buffer, p: number, end: number, eof: boolean): number {
    let lineEnd = buf.indexOf(LF, p);
    if (lineEnd < 0) {
      if (!eof) return INCOMPLETE;
      lineEnd = end;
    }
    const rowLine = this.line;
    let extraLines = 0;
    const b = this.batch;
    const i = b.length;
    let q = p;
    let f = 0;
    let e = 0;

    // 0 timestamp_ns: seconds (all but the last 9 digits) and ns (the last 9)
    let sec: number;
    let ns: number;
    if (q + 19 < lineEnd && buf[q + 19] === COMMA) {
      // the usual 19 digits: one pass
      e = q + 19;
      sec = uint(buf, q, q + 10);
      ns = uint(buf, q + 10, e);
    } else {
      e = nextComma(buf, q, lineEnd);
      if (e === lineEnd) return this.missing(buf, lineEnd, end, 1);
      const cut = e - 9 > q ? e - 9 : q;
      sec = cut === q ? 0 : e - q > 19 ? -1 : uint(buf, q, cut);
      ns = uint(buf, cut, e);
    }
    if (sec < 0 || ns < 0) return this.badField(buf, lineEnd, f, q, e, 'ns since the Unix epoch (1 to 19 digits)');
    const digits = e - q;
    q = e + 1;
    f = 1;

    // 1 pid, 2 tid; scanners write straight into the batch slot (committed only
    // when the whole row is good) and return -1 - end for a malformed field
    e = scanId(buf, q, lineEnd, b.pid, i);
    let bad = e < 0;
    if (bad) e = -1 - e;
    if (e === lineEnd) return this.missing(buf, lineEnd, end, 2);
    if (bad) return this.badField(buf, lineEnd, f, q, e, 'a process id');
    q = e + 1;
    f = 2;
    e = scanId(buf, q, lineEnd, b.tid, i);
    bad = e < 0;
    if (bad) e = -1 - e;
    if (e === lineEnd) return this.missing(buf, lineEnd, end, 3);
    if (bad) return this.badField(buf, lineEnd, f, q, e, 'a thread id');
    q = e + 1;
    f = 3;

    // 3 comm, 4 syscall: plain or quoted text
    let comm: string;
    if (buf[q] === QUOTE) {
      const close = closingQuote(buf, q, end, eof);
      if (close < 0) return this.unterminated(p, lineEnd, end, eof, f);
      if (close > lineEnd) {
        extraLines += countLf(buf, lineEnd, close);
        lineEnd = buf.indexOf(LF, close);
        if (lineEnd < 0) {
          if (!eof) return INCOMPLETE;
          lineEnd = end;
        }
      }
      comm = quotedText(buf, q, close, this.comms);
      e = close;
      if (e !== lineEnd && buf[e] !== COMMA) return this.badField(buf, lineEnd, f, q, e, 'a quoted field followed by a comma');
    } else {
      e = nextComma(buf, q, lineEnd);
      comm = this.comms.get(buf, q, e);
    }
    if (e === lineEnd) return this.missing(buf, lineEnd, end, 4, extraLines);
    q = e + 1;
    f = 4;

    let syscall: string;
    let nr: number;
    if (buf[q] === QUOTE) {
      const close = closingQuote(buf, q, lineEnd, eof);
      if (close < 0) return this.badField(buf, lineEnd, f, q, lineEnd, 'a syscall name');
      syscall = quotedText(buf, q, close, this.syscalls);
      nr = this.syscalls.lastTag;
      e = close;
      if (e !== lineEnd && buf[e] !== COMMA) return this.badField(buf, lineEnd, f, q, e, 'a quoted field followed by a comma');
    } else {
      e = nextComma(buf, q, lineEnd);
      syscall = this.syscalls.get(buf, q, e);
      nr = this.syscalls.lastTag;
    }
    if (e === lineEnd) return this.missing(buf, lineEnd, end, 5, extraLines);
    if (nr === UNKNOWN_SYSCALL || syscall === '') {
      return this.badRow(lineEnd, `field 5 (syscall): expected a syscall name of ${this.meta.arch}, got "${syscall}"`, extraLines);
    }
    q = e + 1;
    f = 5;

    // 5 duration_ns
    e = scanCount(buf, q, lineEnd, b.durationNs, i);
    bad = e < 0;
    if (bad) e = -1 - e;
    if (e === lineEnd) return this.missing(buf, lineEnd, end, 6, extraLines);
    if (bad) return this.badField(buf, lineEnd, f, q, e, 'a non-negative integer (ns)', extraLines);
    q = e + 1;
    f = 6;

    // 6 ret
    e = scanSigned(buf, q, lineEnd, b.ret, i, false);
    bad = e < 0;
    if (bad) e = -1 - e;
    if (e === lineEnd) return this.missing(buf, lineEnd, end, 7, extraLines);
    if (bad) return this.badField(buf, lineEnd, f, q, e, 'an integer', extraLines);
    q = e + 1;
    f = 7;

    // 7 errno: derived from ret, not stored
    e = nextComma(buf, q, lineEnd);
    if (e === lineEnd) return this.missing(buf, lineEnd, end, 8, extraLines);
    q = e + 1;
    f = 8;

    // 8..13 args
    for (let k = 0; k < ARG_COUNT; k++) {
      e = scanHex(buf, q, lineEnd, b.argLo[k]!, b.argHi[k]!, i);
      bad = e < 0;
      if (bad) e = -1 - e;
      if (e === lineEnd) return this.missing(buf, lineEnd, end, 9 + k, extraLines);
      if (bad) return this.badField(buf, lineEnd, f, q, e, 'a hex number 0x0 to 0xffffffffffffffff', extraLines);
      q = e + 1;
      f += 1;
    }

    // 14 pos: empty when unknown
    e = scanSigned(buf, q, lineEnd, b.pos, i, true);
    bad = e < 0;
    if (bad) e = -1 - e;
    if (e === lineEnd) return this.missing(buf, lineEnd, end, 15, extraLines);
    if (bad) return this.badField(buf, lineEnd, f, q, e, 'an integer or nothing', extraLines);
    q = e + 1;
    f = 15;

    // 15 off_cpu_ns, 16 runq_ns (absent in older captures): empty when unknown
    if (this.cpuColumns) {
      e = scanSigned(buf, q, lineEnd, b.offCpuNs, i, true);
      bad = e < 0;
      if (bad) e = -1 - e;
      if (e === lineEnd) return this.missing(buf, lineEnd, end, 16, extraLines);
      if (bad) return this.badField(buf, lineEnd, f, q, e, 'a number of ns or nothing', extraLines);
      q = e + 1;
      f = 16;
      e = scanSigned(buf, q, lineEnd, b.runqNs, i, true);
      bad = e < 0;
      if (bad) e = -1 - e;
      if (e === lineEnd) return this.missing(buf, lineEnd, end, 17, extraLines);
      if (bad) return this.badField(buf, lineEnd, f, q, e, 'a number of ns or nothing', extraLines);
      q = e + 1;
      f = 17;
    } else {
      b.offCpuNs[i] = Number.NaN;
      b.runqNs[i] = Number.NaN;
    }

    // path: plain or quoted; empty when unknown. The rest of the line in
    // captures without the stack column, else up to its comma
    let path: string | null = null;
    const last = this.stackColumn ? f + 1 : f;
    if (buf[q] === QUOTE) {
      const close = closingQuote(buf, q, end, eof);
      if (close < 0) return this.unterminated(p, lineEnd, end, eof, f, extraLines);
      if (close > lineEnd) {
        extraLines += countLf(buf, lineEnd, close);
        lineEnd = buf.indexOf(LF, close);
        if (lineEnd < 0) {
          if (!eof) return INCOMPLETE;
          lineEnd = end;
        }
      }
      path = quotedText(buf, q, close, this.paths);
      e = close;
      if (this.stackColumn) {
        if (e === lineEnd || (buf[e] === CR && e + 1 === lineEnd)) return this.missing(buf, lineEnd, end, last, extraLines);
        if (buf[e] !== COMMA) return this.badField(buf, lineEnd, f, q, e, 'a quoted field followed by a comma', extraLines);
      } else if (e < lineEnd && !(buf[e] === CR && e + 1 === lineEnd)) {
        return this.badRow(lineEnd, `expected ${this.columns.length} fields, got more`, extraLines);
      }
    } else if (this.stackColumn) {
      e = nextComma(buf, q, lineEnd);
      if (e === lineEnd) return this.missing(buf, lineEnd, end, last, extraLines);
      if (e > q) path = this.paths.get(buf, q, e);
    } else {
      let stop = lineEnd;
      if (stop > q && buf[stop - 1] === CR) stop -= 1;
      if (stop > q) {
        path = this.paths.get(buf, q, stop);
        // commas are looked for once per distinct path, by the interner's tag
        if (this.paths.lastTag === 1) return this.badRow(lineEnd, `expected ${this.columns.length} fields, got more`, extraLines);
      }
    }

    // stack: the rest of the line, folded frames, plain or quoted; empty when none was taken
    let stackId = 0;
    if (this.stackColumn) {
      q = e + 1;
      f = last;
      let stop = lineEnd;
      if (stop > q && buf[stop - 1] === CR) stop -= 1;
      let folded = '';
      if (buf[q] === QUOTE) {
        const close = closingQuote(buf, q, stop, eof);
        if (close < 0) return this.badField(buf, lineEnd, f, q, stop, 'a quoted stack', extraLines);
        if (close !== stop) return this.badRow(lineEnd, `expected ${this.columns.length} fields, got more`, extraLines);
        folded = quotedText(buf, q, close, this.stackTexts);
      } else if (stop > q) {
        folded = this.stackTexts.get(buf, q, stop);
        if (this.stackTexts.lastTag === 1) return this.badRow(lineEnd, `expected ${this.columns.length} fields, got more`, extraLines);
      }
      stackId = this.stacks.idOf(folded, b.pid[i]!);
    }

    // the row is good: commit it
    let clock = this.clock;
    if (clock === null) {
      // no start_real_ns in the metadata: time counts from the first row
      const start = { sec, ns };
      clock = this.clock = new WallClock(start);
      this.meta = { ...this.meta, startRealNs: digitsText(buf, p, p + digits) };
    }
    b.startNs[i] = clock.offsetOf(sec, ns);
    b.comm[i] = comm;
    b.syscall[i] = syscall;
    b.nr[i] = nr;
    b.path[i] = path;
    b.stackId[i] = stackId;
    if (stackId !== 0) b.stacks = this.stacks.table;
    b.length = i + 1;
    this.rowsRead += 1;
    this.line = rowLine + 1 + extraLines;
    return lineEnd + 1;
  }

  // A row with fewer than 16 fields: INCOMPLETE never (the line is whole), an error or a skip.
  private missing(buf: Buffer, lineEnd: number, end: number, got: number, extraLines = 0): number {
    const truncated = lineEnd === end && (end === 0 || buf[end - 1] !== LF);
    const detail = `expected ${this.columns.length} fields (${this.columns.join(',')}), got ${got}${truncated ? ' (truncated last line: no final newline)' : ''}`;
    return this.badRow(lineEnd, detail, extraLines);
  }

  private badField(buf: Buffer, lineEnd: number, f: number, from: number, to: number, expected: string, extraLines = 0): number {
    let shown = buf.toString('utf8', from, Math.min(to, from + 40));
    if (to - from > 40) shown += '...';
    return this.badRow(lineEnd, `field ${f + 1} (${this.columns[f]}): expected ${expected}, got "${shown}"`, extraLines);
  }

  // An unterminated quoted field: wait for more input unless it cannot be a real row.
  private unterminated(p: number, lineEnd: number, end: number, eof: boolean, f: number, extraLines = 0): number {
    if (!eof && end - p < MAX_ROW_BYTES) return INCOMPLETE;
    return this.badRow(lineEnd, `field ${f + 1} (${this.columns[f]}): expected a closing quote${eof ? ' before the end of the file' : ''}`, extraLines);
  }

  // Throws, or with skipBad counts the row and returns the position after its line.
  private badRow(lineEnd: number, detail: string, extraLines = 0): number {
    const line = this.line;
    if (!this.skipBad) throw this.error(line, detail);
    this.bad.add(line, detail);
    this.line = line + 1 + extraLines;
    return lineEnd + 1;
  }

  // A trailer line cut short (no final newline): its figure is left unknown, and said.
  private cutTrailerLine(text: string): void {
    const key = /^#\s*([a-z_]+):/.exec(text)?.[1] ?? null;
    if (key === null) return;
    this.warnings.push(`line ${this.line}: the trailer is cut ("${text.slice(0, 40)}" has no end of line): ${key} unknown${key === 'lost_events' ? ', calls may have been lost' : ''}`);
  }

  // `# key: value` after the header: the trailer.
  private trailerLine(text: string): void {
    const load = /^#\s*load:\s*(.*)$/.exec(text);
    if (load !== null) {
      this.load = parseLoadText(load[1]!, (detail) => this.error(this.line, `load: ${detail}`));
      return;
    }
    const m = /^#\s*(rows|duration_ns|lost_events|cpu_ns|thread_ns|threads|runq_ns):\s*(\S*)\s*$/.exec(text);
    if (m === null) return;
    const value = m[2]!;
    if (!/^\d+$/.test(value)) throw this.error(this.line, `${m[1]}: expected a whole number, got "${value}"`);
    const n = Number(value);
    if (m[1] === 'rows') this.trailerRows = { rows: n, line: this.line };
    else if (m[1] === 'duration_ns') this.durationNs = n;
    else if (m[1] === 'cpu_ns') this.cpuNs = n;
    else if (m[1] === 'thread_ns') this.threadNs = n;
    else if (m[1] === 'threads') this.threadCount = n;
    else if (m[1] === 'runq_ns') this.runqNs = n;
    else this.lostEvents = n;
  }

  // The metadata and trailer from FILE.meta.json (csv-sidecar.ts): they win over any `# ` lines.
  private useSidecar(side: Sidecar): void {
    const m = side.meta;
    this.meta = { ...m, durationNs: null, lostEvents: 0 };
    this.clock = new WallClock(parseWallNs(m.startRealNs)!);
    this.durationNs = m.durationNs;
    this.lostEvents = m.lostEvents;
    this.cpuNs = m.cpuNs ?? null;
    this.threadNs = m.threadNs ?? null;
    this.threadCount = m.threadCount ?? null;
    this.runqNs = m.runqNs ?? null;
    this.load = m.load ?? null;
    this.listen = m.listen ?? null;
    this.stackHealth = m.stackHealth ?? null;
    this.sidecarRows = side.rows;
    this.ioUringFile = side.ioUring ?? null;
  }

  private checkTrailer(): void {
    if (this.sidecarRows !== null) {
      const seen = this.rowsRead + (this.bad.skipped?.count ?? 0);
      if (this.sidecarRows !== seen) {
        throw new InputError(`its sidecar ${sidecarPathOf(this.path)} says ${this.sidecarRows} rows, the file has ${seen}: rows are missing or were added`, { file: this.path });
      }
    }
    if (this.trailerRows === null) return;
    const seen = this.rowsRead + (this.bad.skipped?.count ?? 0);
    if (this.trailerRows.rows !== seen) {
      throw this.error(this.trailerRows.line, `the trailer says ${this.trailerRows.rows} rows, the file has ${seen}: rows are missing or were added`);
    }
  }

  private error(line: number, detail: string): InputError {
    return new InputError(`line ${line}: ${detail}`, { file: this.path, line });
  }
}

// Index of the next comma in [q, lineEnd), or lineEnd.
function nextComma(buf: Buffer, q: number, lineEnd: number): number {
  while (q < lineEnd && buf[q] !== COMMA) q++;
  return q;
}

// Scans a process or thread id field at q into dst[i]; returns the index of its
// comma (or lineEnd), or -1 - that index when it is not 1 to 10 digits up to 2^31-1.
function scanId(buf: Buffer, q: number, lineEnd: number, dst: Int32Array, i: number): number {
  const from = q;
  let v = 0;
  for (; q < lineEnd; q++) {
    const c = buf[q]!;
    if (c === COMMA) break;
    const d = c - 0x30;
    if (d < 0 || d > 9) return -1 - nextComma(buf, q, lineEnd);
    v = v * 10 + d;
  }
  if (q === from || q - from > 10 || v > MAX_PID) return -1 - q;
  dst[i] = v;
  return q;
}

// Scans an unsigned integer field (1 to 16 digits, below 2^53) at q into dst[i];
// returns the index of its comma (or lineEnd), or -1 - that index when malformed.
function scanCount(buf: Buffer, q: number, lineEnd: number, dst: Float64Array, i: number): number {
  const from = q;
  let v = 0;
  for (; q < lineEnd; q++) {
    const c = buf[q]!;
    if (c === COMMA) break;
    const d = c - 0x30;
    if (d < 0 || d > 9) return -1 - nextComma(buf, q, lineEnd);
    v = v * 10 + d;
  }
  if (q === from || q - from > 16 || v > MAX_SAFE) return -1 - q;
  dst[i] = v;
  return q;
}

// Scans a signed integer field (up to 19 digits; rounded beyond 2^53) at q into
// dst[i], NaN for an empty field when emptyOk; returns the index of its comma (or
// lineEnd), or -1 - that index when malformed.
function scanSigned(buf: Buffer, q: number, lineEnd: number, dst: Float64Array, i: number, emptyOk: boolean): number {
  const negative = buf[q] === MINUS;
  const from = negative ? q + 1 : q;
  let v = 0;
  for (q = from; q < lineEnd; q++) {
    const c = buf[q]!;
    if (c === COMMA) break;
    const d = c - 0x30;
    if (d < 0 || d > 9) return -1 - nextComma(buf, q, lineEnd);
    v = v * 10 + d;
  }
  if (q === from) {
    if (!emptyOk || negative) return -1 - q;
    dst[i] = Number.NaN;
    return q;
  }
  if (q - from > 19) return -1 - q;
  dst[i] = negative ? -v : v;
  return q;
}

// The unsigned integer in buf[from, to), or -1 when empty, not all digits, or beyond 2^53.
function uint(buf: Buffer, from: number, to: number): number {
  if (from === to || to - from > 16) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v <= MAX_SAFE ? v : -1;
}

// Scans a "0x" + 1..16 hex digits field at q into lo[i] and hi[i] (the 32-bit
// halves); returns the index of its comma (or lineEnd), or -1 - that index when malformed.
function scanHex(buf: Buffer, q: number, lineEnd: number, lo: Uint32Array, hi: Uint32Array, i: number): number {
  if (buf[q] !== 0x30 || (buf[q + 1]! | 0x20) !== 0x78) return -1 - nextComma(buf, q, lineEnd);
  const from = q + 2;
  let l = 0;
  let h = 0;
  for (q = from; q < lineEnd; q++) {
    const c = buf[q]!;
    if (c === COMMA) break;
    let d = c - 0x30;
    if (d < 0 || d > 9) {
      const x = c | 0x20;
      if (x < 0x61 || x > 0x66) return -1 - nextComma(buf, q, lineEnd);
      d = x - 0x57;
    }
    h = (h << 4) | (l >>> 28);
    l = (l << 4) | d;
  }
  if (q === from || q - from > 16) return -1 - q;
  lo[i] = l;
  hi[i] = h;
  return q;
}

// Index just after the quote closing the quoted field at q (doubled quotes are
// escapes), or -1 when it does not close before `limit` or, short of the end of
// the file, at the very end of the buffer (the next byte may double it).
function closingQuote(buf: Buffer, q: number, limit: number, eof: boolean): number {
  let i = q + 1;
  for (;;) {
    const j = buf.indexOf(QUOTE, i);
    if (j < 0 || j >= limit) return -1;
    if (j + 1 === buf.length) return eof ? j + 1 : -1;
    if (buf[j + 1] !== QUOTE) return j + 1;
    i = j + 2;
  }
}

// The text of the quoted field buf[q, close) (quotes included), unescaped.
function quotedText(buf: Buffer, q: number, close: number, interner: Interner): string {
  for (let k = q + 1; k < close - 1; k++) {
    if (buf[k] === QUOTE) return buf.toString('utf8', q + 1, close - 1).replace(/""/g, '"');
  }
  return interner.get(buf, q + 1, close - 1);
}

function countLf(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i] === LF) n++;
  return n;
}

function digitsText(buf: Buffer, from: number, to: number): string {
  const text = buf.toString('latin1', from, to).replace(/^0+(?=\d)/, '');
  return text;
}
