// Streaming JSON lines capture reader (layout in jsonl-schema.ts).
import { IoUringRequests } from '../model/io-uring-requests.js';
import { requestOfRecord } from './uring-record.js';
import { InputError } from '../errors.js';
import { ARG_COUNT, EventBatch, type CaptureMeta, type CaptureSource } from '../model/events.js';
import type { ListenPressure } from '../model/listen.js';
import { parseStackHealth, type StackHealth } from '../model/stacks.js';
import type { LoadLevel } from '../model/load.js';
import { hostArch, syscallNumber } from '../model/syscall-names.js';
import { BadRows } from './bad-rows.js';
import { BATCH_ROWS, type CaptureEnd, type CaptureFile, type ReaderOptions } from './reader-types.js';
import { FoldedStacks } from './folded-stacks.js';
import { JSONL_VERSION } from './jsonl-schema.js';
import { LineReader, type Line } from './line-reader.js';
import { NO_FILTERS, parseListenText, parseLoadText } from './meta.js';
import { ProgressBar } from './progress.js';
import { parseWallNs, WallClock } from './timestamp.js';

const HEX = /^0x[0-9a-fA-F]{1,16}$/;

// A row problem: thrown inside, turned into an InputError or a skip.
class RowProblem extends Error {}

// Opens a JSON lines capture: reads the first (meta) line now, events as `batches` is iterated.
export function openJsonlCapture(path: string, options: ReaderOptions = {}): CaptureFile {
  return new JsonlCapture(path, options);
}

class JsonlCapture implements CaptureSource {
  readonly meta: CaptureMeta;
  private readonly reader: LineReader;
  private readonly clock: WallClock;
  private readonly bad = new BadRows();
  private readonly skipBad: boolean;
  private readonly batchRows: number;
  private readonly progress: ProgressBar | null;
  private readonly syscallTags = new Map<string, number | null>();
  private readonly stacks = new FoldedStacks();
  private readonly hasTable: boolean;
  private rowsRead = 0;
  // io_uring request records read
  private ioUringRead = 0;
  private end: {
    rows: number;
    ioUringRows: number;
    durationNs: number | null;
    lostEvents: number;
    cpuNs: number | null;
    threadNs: number | null;
    threadCount: number | null;
    runqNs: number | null;
    load: LoadLevel | null;
    listen: ListenPressure | null;
    stackHealth: StackHealth | null;
    line: number;
  } | null = null;
  private consumed = false;
  private lastLine = 1;

  constructor(
    private readonly path: string,
    options: ReaderOptions,
  ) {
    this.skipBad = options.skipBad ?? false;
    this.batchRows = options.batchRows ?? BATCH_ROWS;
    this.reader = new LineReader(path, options.chunkBytes);
    try {
      this.meta = this.readMeta();
    } catch (err) {
      this.reader.close();
      throw err;
    }
    this.clock = new WallClock(parseWallNs(this.meta.startRealNs)!);
    this.hasTable = syscallNumber(this.meta.arch, 'read') !== null;
    const out = options.progress === undefined ? process.stderr : options.progress;
    this.progress = out !== null && ProgressBar.wanted(out, this.reader.size) ? new ProgressBar(out, this.reader.size, 'reading') : null;
  }

  get batches(): AsyncIterable<EventBatch> {
    return { [Symbol.asyncIterator]: () => this.iterate() };
  }

  final(): CaptureEnd {
    return {
      meta: {
        ...this.meta,
        durationNs: this.end?.durationNs ?? null,
        lostEvents: this.end?.lostEvents ?? 0,
        ...(this.end?.cpuNs == null ? {} : { cpuNs: this.end.cpuNs }),
        ...(this.end?.threadNs == null ? {} : { threadNs: this.end.threadNs }),
        ...(this.end?.threadCount == null ? {} : { threadCount: this.end.threadCount }),
        ...(this.end?.runqNs == null ? {} : { runqNs: this.end.runqNs }),
        ...(this.end?.load == null ? {} : { load: this.end.load }),
        ...(this.end?.listen == null ? {} : { listen: this.end.listen }),
        ...(this.end?.stackHealth == null ? {} : { stackHealth: this.end.stackHealth }),
      },
      profile: null,
      skipped: this.bad.skipped,
    };
  }

  private readMeta(): CaptureMeta {
    const first = this.reader.next();
    const expected = `expected {"syscall_prof": ${JSONL_VERSION}, "meta": {...}}`;
    if (first === null) throw this.error(1, `empty file, ${expected}`);
    let head: unknown;
    try {
      head = JSON.parse(first.bytes.toString('utf8'));
    } catch {
      throw this.error(1, `${expected}, got a line that is not JSON`);
    }
    if (!isObject(head) || !('syscall_prof' in head)) throw this.error(1, expected);
    if (head['syscall_prof'] !== JSONL_VERSION) throw this.error(1, `unsupported capture version ${JSON.stringify(head['syscall_prof'])} (this reader reads ${JSONL_VERSION})`);
    const m = head['meta'];
    if (!isObject(m)) throw this.error(1, `${expected}: "meta" is not an object`);
    const start = m['start_real_ns'];
    if (typeof start !== 'string' || parseWallNs(start) === null) throw this.error(1, 'meta.start_real_ns: expected ns since the Unix epoch as a string of digits');
    const f = isObject(m['filters']) ? m['filters'] : {};
    const syscalls = f['syscalls'];
    return {
      backend: typeof m['backend'] === 'string' ? m['backend'] : 'unknown',
      arch: typeof m['arch'] === 'string' ? m['arch'] : hostArch(),
      target: typeof m['target'] === 'string' ? m['target'] : '',
      startRealNs: start,
      durationNs: null,
      lostEvents: 0,
      filters: {
        syscalls: Array.isArray(syscalls) && syscalls.every((s) => typeof s === 'string') ? (syscalls as string[]) : NO_FILTERS.syscalls,
        minDurationNs: typeof f['min_duration_ns'] === 'number' ? f['min_duration_ns'] : 0,
        failedOnly: f['failed_only'] === true,
      },
    };
  }

  private async *iterate(): AsyncGenerator<EventBatch> {
    if (this.consumed) throw new Error(`${this.path}: batches can be read only once`);
    this.consumed = true;
    let batch = new EventBatch(this.batchRows);
    try {
      for (let line = this.reader.next(); line !== null; line = this.reader.next()) {
        this.lastLine = line.number;
        if (line.bytes.length === 0) continue;
        if (this.end !== null) {
          this.fail(line.number, 'expected nothing after the {"syscall_prof_end": ...} line');
          continue;
        }
        this.event(line, batch);
        if (batch.full || (batch.ioUring?.length ?? 0) >= this.batchRows) {
          this.progress?.update(this.reader.position, this.rowsRead);
          yield batch;
          batch = new EventBatch(this.batchRows);
        }
      }
      if (batch.length > 0) yield batch;
      if (this.end === null) {
        throw this.error(this.lastLine + 1, 'expected a last line {"syscall_prof_end": {...}}, got the end of the file (truncated?)');
      }
      const seen = this.rowsRead + (this.bad.skipped?.count ?? 0);
      if (this.end.rows !== seen) {
        throw this.error(this.end.line, `the end line says ${this.end.rows} rows, the file has ${seen}: rows are missing or were added`);
      }
      if (this.end.ioUringRows !== this.ioUringRead) {
        throw this.error(this.end.line, `the end line says ${this.end.ioUringRows} io_uring requests, the file has ${this.ioUringRead}`);
      }
    } finally {
      this.progress?.clear();
      this.reader.close();
    }
  }

  // Parses one line into the batch (or the end marker); bad lines throw or are skipped.
  private event(line: Line, batch: EventBatch): void {
    let o: unknown;
    try {
      o = JSON.parse(line.bytes.toString('utf8'));
    } catch {
      this.fail(line.number, line.terminated ? 'expected a JSON object, got a line that is not JSON' : 'truncated last line (no final newline): not a whole JSON object');
      return;
    }
    if (!isObject(o)) {
      this.fail(line.number, 'expected a JSON object');
      return;
    }
    if ('syscall_prof_end' in o) {
      const e = o['syscall_prof_end'];
      if (!isObject(e) || !isCount(e['rows'])) {
        this.fail(line.number, 'syscall_prof_end: expected {"rows": N, "duration_ns": N, "lost_events": N}');
        return;
      }
      this.end = {
        rows: e['rows'] as number,
        ioUringRows: isCount(e['io_uring_rows']) ? (e['io_uring_rows'] as number) : 0,
        durationNs: isCount(e['duration_ns']) ? (e['duration_ns'] as number) : null,
        lostEvents: isCount(e['lost_events']) ? (e['lost_events'] as number) : 0,
        cpuNs: isCount(e['cpu_ns']) ? (e['cpu_ns'] as number) : null,
        threadNs: isCount(e['thread_ns']) ? (e['thread_ns'] as number) : null,
        threadCount: isCount(e['threads']) ? (e['threads'] as number) : null,
        runqNs: isCount(e['runq_ns']) ? (e['runq_ns'] as number) : null,
        load: e['load'] === undefined ? null : parseLoadText(e['load'], (detail) => this.error(line.number, `syscall_prof_end: load: ${detail}`)),
        listen: e['listen'] === undefined ? null : parseListenText(e['listen'], (detail) => this.error(line.number, `syscall_prof_end: listen: ${detail}`)),
        stackHealth: e['stack_health'] === undefined ? null : stackHealthOf(e['stack_health'], (detail) => this.error(line.number, `syscall_prof_end: stack_health: ${detail}`)),
        line: line.number,
      };
      return;
    }
    if (o['kind'] === 'io_uring') {
      const r = requestOfRecord((f) => o[f], this.clock);
      if (typeof r === 'string') {
        this.fail(line.number, `io_uring record: ${r}`);
        return;
      }
      (batch.ioUring ??= new IoUringRequests(this.batchRows)).add(r);
      this.ioUringRead += 1;
      return;
    }
    try {
      this.fill(o, batch);
    } catch (err) {
      if (!(err instanceof RowProblem)) throw err;
      this.fail(line.number, err.message);
    }
  }

  private fill(o: Record<string, unknown>, b: EventBatch): void {
    const ts = o['timestamp_ns'];
    const t = typeof ts === 'string' ? parseWallNs(ts) : null;
    if (t === null) throw new RowProblem(`"timestamp_ns": expected ns since the Unix epoch as a string of digits, got ${show(ts)}`);
    const pid = wholeField(o, 'pid', 0x7fffffff);
    const tid = wholeField(o, 'tid', 0x7fffffff);
    const comm = o['comm'];
    if (typeof comm !== 'string') throw new RowProblem(`"comm": expected a string, got ${show(comm)}`);
    const syscall = o['syscall'];
    if (typeof syscall !== 'string' || syscall === '') throw new RowProblem(`"syscall": expected a syscall name, got ${show(syscall)}`);
    const nr = this.syscallNr(syscall);
    const duration = wholeField(o, 'duration_ns', Number.MAX_SAFE_INTEGER);
    const ret = o['ret'];
    if (typeof ret !== 'number' || !Number.isInteger(ret)) throw new RowProblem(`"ret": expected an integer, got ${show(ret)}`);
    const args = o['args'];
    if (!Array.isArray(args) || args.length !== ARG_COUNT || !args.every((a) => typeof a === 'string' && HEX.test(a))) {
      throw new RowProblem(`"args": expected ${ARG_COUNT} hex strings like "0x1f", got ${show(args)}`);
    }
    const pos = o['pos'] ?? null;
    if (pos !== null && (typeof pos !== 'number' || !Number.isInteger(pos))) throw new RowProblem(`"pos": expected an integer or null, got ${show(pos)}`);
    const off = optionalNs(o, 'off_cpu_ns');
    const runq = optionalNs(o, 'runq_ns');
    const path = o['path'] ?? null;
    if (path !== null && typeof path !== 'string') throw new RowProblem(`"path": expected a string or null, got ${show(path)}`);
    const stack = o['stack'] ?? '';
    if (typeof stack !== 'string') throw new RowProblem(`"stack": expected folded frames as a string, got ${show(stack)}`);

    const i = b.length;
    b.startNs[i] = this.clock.offsetOf(t.sec, t.ns);
    b.pid[i] = pid;
    b.tid[i] = tid;
    b.comm[i] = comm;
    b.syscall[i] = syscall;
    b.nr[i] = nr;
    b.durationNs[i] = duration;
    b.ret[i] = ret;
    for (let k = 0; k < ARG_COUNT; k++) {
      const digits = (args[k] as string).slice(2);
      b.argLo[k]![i] = parseInt(digits.slice(-8), 16);
      b.argHi[k]![i] = digits.length > 8 ? parseInt(digits.slice(0, -8), 16) : 0;
    }
    b.pos[i] = pos === null ? Number.NaN : pos;
    b.offCpuNs[i] = off;
    b.runqNs[i] = runq;
    b.path[i] = path;
    const stackId = this.stacks.idOf(stack, pid);
    b.stackId[i] = stackId;
    if (stackId !== 0) b.stacks = this.stacks.table;
    b.length = i + 1;
    this.rowsRead += 1;
  }

  private syscallNr(name: string): number {
    let nr = this.syscallTags.get(name);
    if (nr === undefined) {
      nr = syscallNumber(this.meta.arch, name);
      this.syscallTags.set(name, nr);
    }
    if (nr === null) {
      if (this.hasTable) throw new RowProblem(`"syscall": expected a syscall name of ${this.meta.arch}, got ${show(name)}`);
      return -1;
    }
    return nr;
  }

  private fail(line: number, detail: string): void {
    if (!this.skipBad) throw this.error(line, detail);
    this.bad.add(line, detail);
  }

  private error(line: number, detail: string): InputError {
    return new InputError(`line ${line}: ${detail}`, { file: this.path, line });
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function wholeField(o: Record<string, unknown>, key: string, max: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new RowProblem(`"${key}": expected a whole number up to ${max}, got ${show(v)}`);
  }
  return v;
}

function show(v: unknown): string {
  const text = v === undefined ? 'nothing' : JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

// An optional count of ns (absent or null: NaN, unknown).
function optionalNs(o: Record<string, unknown>, key: string): number {
  const v = o[key] ?? null;
  if (v === null) return Number.NaN;
  if (!isCount(v)) throw new RowProblem(`"${key}": expected a whole number of ns or null, got ${show(v)}`);
  return v as number;
}

// a trailer's stack health; a problem goes to `fail`
function stackHealthOf(value: unknown, fail: (detail: string) => Error): StackHealth {
  const h = parseStackHealth(value);
  if (typeof h === 'string') throw fail(h);
  return h;
}
