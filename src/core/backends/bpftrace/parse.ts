// Streaming parser of the generated bpftrace script's output into event batches.
import { ARG_COUNT, EventBatch } from '../../model/events.js';
import { hostArch, syscallName } from '../../model/syscall-names.js';
import { BadLines } from '../perf/bad-lines.js';
import { LINE_TAG } from './script.js';

// `SP pid tid nr start_ns duration_ns ret arg0_hex comm` (comm may hold spaces)
const CALL = new RegExp(`^${LINE_TAG} (\\d+) (\\d+) (-?\\d+) (\\d+) (\\d+) (-?\\d+) ([0-9a-f]+) ?(.*)$`);
// bpftrace's notice when its perf ring buffer overflowed
const LOST = /^Lost (\d+) events/;
// bpftrace's own chatter on its output
const NOISE = /^Attaching \d+ probes?\.\.\.$/;
// the command's exit_code (status << 8 | signal), a map bpftrace prints at its end
const EXIT = /^@exit: (\d+)$/;

// What the parser saw besides the calls.
export interface BpftraceParseStats {
  lines: number;
  calls: number;
  lostEvents: number;
  // the first entry time and the latest return, ns since boot (null before the first call)
  firstNs: number | null;
  lastNs: number | null;
  // the -c command's task exit_code (status << 8 | signal); null when not seen
  exitCode: number | null;
}

// Turns output lines into events; `batch` fills up, the caller takes full ones.
export class BpftraceParser {
  readonly bad: BadLines;
  readonly stats: BpftraceParseStats = { lines: 0, calls: 0, lostEvents: 0, firstNs: null, lastNs: null, exitCode: null };
  batch: EventBatch;

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
    const m = CALL.exec(text);
    if (m === null) {
      const lost = LOST.exec(text);
      const exit = EXIT.exec(text);
      if (lost !== null) this.stats.lostEvents += Number(lost[1]);
      else if (exit !== null) this.stats.exitCode = Number(exit[1]);
      else if (text.trim() !== '' && !NOISE.test(text)) this.bad.add(number, `expected "${LINE_TAG} pid tid nr start_ns duration_ns ret arg0 comm"`);
      return;
    }
    const nr = Number(m[3]);
    const startNs = Number(m[4]);
    const durationNs = Number(m[5]);
    this.stats.firstNs ??= startNs;
    this.stats.lastNs = Math.max(this.stats.lastNs ?? 0, startNs + durationNs);
    const args = new Array<bigint>(ARG_COUNT).fill(0n);
    args[0] = BigInt(`0x${m[7]}`);
    this.batch.push({
      // ns since boot is below 2^53 for 104 days; the first call is the origin
      startNs: Math.max(0, startNs - this.stats.firstNs),
      durationNs,
      pid: Number(m[1]),
      tid: Number(m[2]),
      comm: m[8]!,
      syscall: syscallName(this.arch, nr),
      nr: nr < 0 ? null : nr,
      ret: Number(m[6]),
      args,
      pos: null,
      path: null,
    });
    this.stats.calls += 1;
  }

  // The current batch, replaced by an empty one (take it when `batch.full`, and at the end).
  take(): EventBatch {
    const out = this.batch;
    this.batch = new EventBatch(this.batchRows);
    return out;
  }
}
