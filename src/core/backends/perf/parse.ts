// Streaming parser of `perf trace` text output into event batches.
//
// perf prints a call on one line when it returns before another thread's event
// intervenes; otherwise an unfinished line (`name(args) ...`) and later a
// continuation (`... [continued]: name()) = RET`) that repeats the entry time
// and carries the duration. So every timed line - complete or continuation -
// is one call; unfinished lines are only markers. A continuation timed `?`
// ended a call that started before tracing (the traced command's execve, a
// forked child's return from clone), and `name() = ?` never returned
// (exit_group, no duration): neither has a latency, both are counted, not emitted.
import { EventBatch } from '../../model/events.js';
import { hostArch, syscallNumber } from '../../model/syscall-names.js';
import { perfArgs } from './args.js';
import { BadLines } from './bad-lines.js';
import { parsePerfLine } from './line.js';

// What the parser saw besides the calls it emitted.
export interface PerfParseStats {
  // lines read, blank ones included
  lines: number;
  calls: number;
  // events the kernel dropped, summed over perf's "LOST N events!" notices
  lostEvents: number;
  // continuations without an entry time (started before tracing)
  missedStarts: number;
  // calls that never returned (`= ?`, e.g. exit_group)
  noReturn: number;
  // unfinished calls with no continuation by the end (still running at stop)
  inFlight: number;
  // perf's clock at the earliest entry, µs (null before the first call)
  firstUs: number | null;
  // perf's clock at the latest return, µs
  lastUs: number | null;
  // the thread of the first call (a command's own thread), and its exit_group code when seen
  firstTid: number | null;
  firstTidExit: number | null;
}

// Time origin: perf's default output is already relative to its first event;
// with -T (absolute, ms since boot) the first timed line becomes the origin.
const ABSOLUTE_MS = 1_000_000;

// Turns perf trace lines into events; `batch` fills up, the caller takes full ones.
export class PerfTraceParser {
  readonly bad: BadLines;
  readonly stats: PerfParseStats = { lines: 0, calls: 0, lostEvents: 0, missedStarts: 0, noReturn: 0, inFlight: 0, firstUs: null, lastUs: null, firstTid: null, firstTidExit: null };
  batch: EventBatch;
  private originUs: number | null = null;
  // tids with an unfinished call, and which
  private readonly pending = new Map<number, string>();

  constructor(
    file: string,
    private readonly arch = hostArch(),
    private readonly batchRows = 8192,
  ) {
    this.bad = new BadLines(file);
    this.batch = new EventBatch(batchRows);
  }

  // Parses one line (1-based `number`, for messages); at most one event is added.
  add(text: string, number: number): void {
    this.stats.lines += 1;
    const line = parsePerfLine(text);
    switch (line.kind) {
      case 'blank':
        return;
      case 'bad':
        this.bad.add(number, line.reason);
        return;
      case 'lost':
        this.stats.lostEvents += line.events;
        return;
      case 'call':
        break;
    }
    this.stats.firstTid ??= line.tid;
    // `exit_group(error_code: N) = ?` of the first thread: the command's exit status
    if (line.syscall === 'exit_group' && line.tid === this.stats.firstTid) {
      // perf leaves out arguments that are zero: `exit_group()` is exit_group(0)
      const code = /error_code: (-?\d+)/.exec(line.args);
      this.stats.firstTidExit = code === null ? 0 : Number(code[1]) & 0xff;
    }
    // a thread runs one call at a time: any line of it ends the earlier unfinished
    // one (by a continuation, or - its exit event lost - by a later call)
    this.pending.delete(line.tid);
    if (line.unfinished) {
      this.pending.set(line.tid, line.syscall);
      return;
    }
    if (line.startUs === null) {
      this.stats.missedStarts += 1;
      return;
    }
    if (line.durationUs === null) {
      this.stats.noReturn += 1;
      return;
    }
    if (this.originUs === null) this.originUs = line.startUs >= ABSOLUTE_MS * 1000 ? line.startUs : 0;
    const startUs = line.startUs - this.originUs;
    const endUs = startUs + line.durationUs;
    this.stats.firstUs = this.stats.firstUs === null ? startUs : Math.min(this.stats.firstUs, startUs);
    this.stats.lastUs = this.stats.lastUs === null ? endUs : Math.max(this.stats.lastUs, endUs);
    const { args, path } = perfArgs(line.syscall, line.args);
    this.batch.push({
      // an event a few µs before the origin (perf prints CPUs' buffers interleaved) starts at 0
      startNs: Math.max(0, startUs) * 1000,
      durationNs: line.durationUs * 1000,
      // perf trace prints only the thread id: the thread stands for its process
      pid: line.tid,
      tid: line.tid,
      // perf shows `:TID` for a thread whose comm it never saw
      comm: line.comm === `:${line.tid}` ? '' : line.comm,
      syscall: line.syscall,
      nr: syscallNumber(this.arch, line.syscall),
      // a timed call with `= ` and no value (perf's pid formatter found no comm, e.g. getppid): 0
      ret: line.ret ?? 0,
      args,
      pos: null,
      path,
    });
    this.stats.calls += 1;
  }

  // The current batch, replaced by an empty one (take it when `batch.full`, and at the end).
  take(): EventBatch {
    const out = this.batch;
    this.batch = new EventBatch(this.batchRows);
    return out;
  }

  // Call at the end of the input: counts the calls still unfinished.
  finish(): void {
    this.stats.inFlight = this.pending.size;
  }
}
