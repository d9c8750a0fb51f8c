// io_uring facts from per-request records (event-mode captures): per file and
// opcode the count, bytes, latency and access pattern (sequential when a
// request starts where the previous one on the same file ended, as for
// synchronous I/O), and, for captures without the kernel's aggregates (CSV,
// JSON lines), the per-opcode profile built from the requests themselves.
// Bounded: at most MAX_FILE_ROWS (process, file, opcode) rows; others are
// folded into one row per process and opcode with no path.
import { LatencyHistogram } from '../model/histogram.js';
import { standardLayout } from '../model/histogram-layout.js';
import type { IoUringRequests } from '../model/io-uring-requests.js';
import { ioUringOpName, type IoUringFileStats, type IoUringOpStats, type IoUringProcess, type IoUringProfile } from '../model/io-uring.js';
import { byTime, sortErrnos, sumOps } from '../model/io-uring-sum.js';
import { ioPattern } from './facts/io-pattern.js';

// How many (process, file, opcode) rows are kept apart.
export const MAX_FILE_ROWS = 4096;

// opcodes whose result is a byte count (bpf/uring.bpf.h URING_BYTES_OPS)
const BYTES_OPS = new Set([1, 2, 4, 5, 9, 10, 22, 23, 26, 27]);
// opcodes with a file offset: reads and writes (not the vectored ones' iovec count as length)
const OFFSET_OPS = new Set([1, 2, 4, 5, 22, 23, 60, 61]);
// the kernel's fine layout (Header.fine): what snapshots of io_uring use
const LAYOUT = standardLayout(3);

class FileAcc {
  count = 0;
  errors = 0;
  bytes = 0;
  totalNs = 0;
  maxNs = 0;
  punted = 0;
  compared = 0;
  sequential = 0;
  // where the previous request ended; NaN before one with an offset
  nextOffset = Number.NaN;
  minOffset = Infinity;
  maxEnd = -Infinity;
  fd = -1;
  constructor(
    readonly pid: number,
    readonly path: string | null,
    readonly fixedFile: boolean,
    readonly opcode: number,
  ) {}
}

class OpAcc {
  count = 0;
  errors = 0;
  totalNs = 0;
  maxNs = 0;
  punted = 0;
  bytes = 0;
  readonly errnos = new Map<number, number>();
  readonly histogram = new LatencyHistogram(LAYOUT);
  constructor(readonly opcode: number) {}
}

// Collects per-request records, batch by batch.
export class IoUringRequestCollector {
  private readonly files = new Map<string, FileAcc>();
  private readonly ops = new Map<number, Map<number, OpAcc>>();
  private readonly puntFds = new Map<number, Map<number, { punted: number; totalNs: number }>>();
  private readonly comms = new Map<number, string>();
  private seen = 0;

  // requests collected so far
  get requests(): number {
    return this.seen;
  }

  // Adds a batch's requests (in submission order, for the access pattern).
  add(reqs: IoUringRequests): void {
    const order = Array.from({ length: reqs.length }, (_, i) => i).sort((a, b) => reqs.startNs[a]! - reqs.startNs[b]!);
    for (const i of order) this.one(reqs, i);
    this.seen += reqs.length;
  }

  // The facts; null when no request was collected. `kernel`: the capture's aggregate profile, if any (kept, with the files added).
  result(kernel: IoUringProfile | null): IoUringProfile | null {
    if (this.seen === 0) return kernel;
    const files = [...this.files.values()].map((f) => this.fileStats(f)).sort((a, b) => b.totalNs - a.totalNs || b.count - a.count);
    if (kernel !== null && kernel.traced) return { ...kernel, files };
    const processes: IoUringProcess[] = [...this.ops.keys()]
      .sort((a, b) => a - b)
      .map((pid) => ({
        tgid: pid,
        comm: this.comms.get(pid) ?? '',
        ops: [...this.ops.get(pid)!.values()].map(opStats).sort(byTime),
        waits: 0,
        overflows: 0,
        puntFds: [...(this.puntFds.get(pid) ?? new Map<number, { punted: number; totalNs: number }>())]
          .map(([fd, p]) => ({ fd, ...p }))
          .sort((a, b) => b.totalNs - a.totalNs || a.fd - b.fd),
      }));
    return { traced: true, offReason: null, ops: sumOps(processes.flatMap((p) => p.ops)), processes, inFlight: [], drops: 0, files, fromRecords: true };
  }

  private one(reqs: IoUringRequests, i: number): void {
    const pid = reqs.pid[i]!;
    const opcode = reqs.opcode[i]!;
    const result = reqs.result[i]!;
    const ns = reqs.durationNs[i]!;
    const punted = reqs.punted[i] === 1;
    const bytes = BYTES_OPS.has(opcode) && result > 0 ? result : 0;
    if (!this.comms.has(pid) || this.comms.get(pid) === '') this.comms.set(pid, reqs.comm[i]!);

    let byOp = this.ops.get(pid);
    if (byOp === undefined) this.ops.set(pid, (byOp = new Map()));
    let op = byOp.get(opcode);
    if (op === undefined) byOp.set(opcode, (op = new OpAcc(opcode)));
    op.count += 1;
    op.totalNs += ns;
    op.maxNs = Math.max(op.maxNs, ns);
    op.histogram.addValue(ns);
    op.bytes += bytes;
    if (punted) op.punted += 1;
    if (result < 0) {
      op.errors += 1;
      op.errnos.set(-result, (op.errnos.get(-result) ?? 0) + 1);
    }
    if (punted && BYTES_OPS.has(opcode)) {
      let fds = this.puntFds.get(pid);
      if (fds === undefined) this.puntFds.set(pid, (fds = new Map()));
      const p = fds.get(reqs.fd[i]!) ?? { punted: 0, totalNs: 0 };
      fds.set(reqs.fd[i]!, { punted: p.punted + 1, totalNs: p.totalNs + ns });
    }

    const f = this.fileOf(reqs, i);
    f.fd = reqs.fd[i]!;
    f.count += 1;
    f.totalNs += ns;
    f.maxNs = Math.max(f.maxNs, ns);
    f.bytes += bytes;
    if (punted) f.punted += 1;
    if (result < 0) f.errors += 1;
    const offset = reqs.offset[i]!;
    if (result >= 0 && OFFSET_OPS.has(opcode) && !Number.isNaN(offset)) {
      if (!Number.isNaN(f.nextOffset)) {
        f.compared += 1;
        if (offset === f.nextOffset) f.sequential += 1;
      }
      const end = offset + (bytes > 0 ? bytes : reqs.len[i]!);
      f.nextOffset = end;
      f.minOffset = Math.min(f.minOffset, offset);
      f.maxEnd = Math.max(f.maxEnd, end);
    }
  }

  // the row of a request's (process, file, opcode); a request on an unknown file goes by its fd
  private fileOf(reqs: IoUringRequests, i: number): FileAcc {
    const pid = reqs.pid[i]!;
    const fixed = reqs.fixedFile[i] === 1;
    const path = reqs.path[i] ?? null;
    const opcode = reqs.opcode[i]!;
    const key = `${pid}/${opcode}/${fixed ? 'fixed' : 'fd'}/${path ?? `#${reqs.fd[i]}`}`;
    let f = this.files.get(key);
    if (f !== undefined) return f;
    if (this.files.size >= MAX_FILE_ROWS) {
      const folded = `${pid}/${opcode}/other`;
      f = this.files.get(folded);
      if (f === undefined) this.files.set(folded, (f = new FileAcc(pid, null, false, opcode)));
      return f;
    }
    f = new FileAcc(pid, path, fixed, opcode);
    this.files.set(key, f);
    return f;
  }

  private fileStats(f: FileAcc): IoUringFileStats {
    const offsets = f.minOffset !== Infinity;
    return {
      pid: f.pid,
      comm: this.comms.get(f.pid) ?? '',
      path: f.path,
      fd: f.fd,
      fixedFile: f.fixedFile,
      op: ioUringOpName(f.opcode),
      opcode: f.opcode,
      count: f.count,
      errors: f.errors,
      bytes: f.bytes,
      totalNs: f.totalNs,
      maxNs: f.maxNs,
      punted: f.punted,
      compared: f.compared,
      sequential: f.sequential,
      pattern: ioPattern(f.sequential, f.compared),
      minOffset: offsets ? f.minOffset : null,
      maxEnd: offsets ? f.maxEnd : null,
    };
  }
}

function opStats(o: OpAcc): IoUringOpStats {
  return {
    op: ioUringOpName(o.opcode),
    opcode: o.opcode,
    count: o.count,
    errors: o.errors,
    totalNs: o.totalNs,
    maxNs: o.maxNs,
    histogram: o.histogram,
    punted: o.punted,
    bytes: o.bytes,
    errnos: sortErrnos([...o.errnos].map(([errno, count]) => ({ errno, count }))),
  };
}
