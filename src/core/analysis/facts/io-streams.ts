// Per-fd and per-file I/O facts from the read/write family (and send/recv on
// sockets): calls, bytes, time, small calls, offsets and their pattern, writes
// on O_SYNC/O_DSYNC fds. Bounded: at most MAX_FD_STREAMS fds and MAX_FILES
// files are kept; calls on others are folded into one "other" row each, and
// the folded fds/files are counted (exactly up to MAX_FOLDED_COUNTED, then "at least").
import { ioPattern, type IoPattern } from './io-pattern.js';

// A read or write below this many bytes (asked for, else transferred) is small.
export const SMALL_IO_BYTES = 4096;
// How many fds (pid, fd, path) are kept apart.
export const MAX_FD_STREAMS = 4096;
// How many files (paths) are kept apart.
export const MAX_FILES = 1024;
// How many folded fds or files are counted one by one.
export const MAX_FOLDED_COUNTED = 65536;

// One direction (reads or writes) of a stream.
export interface IoSideStats {
  // successful calls
  readonly ops: number;
  readonly failed: number;
  // bytes transferred (successful calls' return values)
  readonly bytes: number;
  // time in every call, failed ones included
  readonly totalNs: number;
  // successful calls below SMALL_IO_BYTES, their bytes and time
  readonly smallOps: number;
  readonly smallBytes: number;
  readonly smallNs: number;
  // calls whose offset could be compared with the previous end, and how many matched it
  readonly comparedOps: number;
  readonly sequentialOps: number;
  // time in the compared calls that were not sequential
  readonly nonSequentialNs: number;
  // writes on an fd opened O_SYNC/O_DSYNC (0 for reads)
  readonly syncOps: number;
  readonly syncNs: number;
  // bytes per successful call; null without one
  readonly avgBytes: number | null;
  readonly pattern: IoPattern;
  // the syscall of the last call (read, pread64, sendto...); null without calls
  readonly syscall: string | null;
}

// One fd's (or one file's) I/O.
export interface IoStreamStats {
  // the file or socket; null when the capture does not say
  readonly path: string | null;
  // the process and fd for an fd row; null for a file row or the folded row
  readonly pid: number | null;
  readonly fd: number | null;
  // fds this row covers (a file opened several times; folded rows: calls' fds not kept apart)
  readonly fds: number;
  readonly reads: IoSideStats;
  readonly writes: IoSideStats;
  readonly ops: number;
  readonly bytes: number;
  readonly totalNs: number;
  // reads and writes together
  readonly pattern: IoPattern;
  // sequential share of the compared calls; null when none could be compared
  readonly sequentialShare: number | null;
  readonly avgBytes: number | null;
  // read bytes / written bytes; null when nothing was written
  readonly readWriteRatio: number | null;
  // the highest offset + bytes seen: how far into the file the calls went; null without offsets
  readonly extentBytes: number | null;
}

// A table of streams with bounded rows.
export interface IoStreamTable {
  // by time, most first
  readonly rows: readonly IoStreamStats[];
  // calls on fds/files not kept apart, or null when none were folded
  readonly other: IoStreamStats | null;
  // how many fds/files were folded into `other`
  readonly folded: number;
  // true when `folded` stopped counting at MAX_FOLDED_COUNTED
  readonly foldedAtLeast: boolean;
}

// What one call contributes.
export interface IoCall {
  readonly read: boolean;
  // file offset at entry, NaN when unknown
  readonly offset: number;
  // return value
  readonly ret: number;
  // bytes asked for, NaN when unknown (vectored calls)
  readonly requested: number;
  readonly ns: number;
  readonly synced: boolean;
  readonly syscall: string;
}

class SideAcc {
  ops = 0;
  failed = 0;
  bytes = 0;
  totalNs = 0;
  smallOps = 0;
  smallBytes = 0;
  smallNs = 0;
  comparedOps = 0;
  sequentialOps = 0;
  nonSequentialNs = 0;
  syncOps = 0;
  syncNs = 0;
  syscall: string | null = null;

  finish(): IoSideStats {
    return {
      ops: this.ops,
      failed: this.failed,
      bytes: this.bytes,
      totalNs: this.totalNs,
      smallOps: this.smallOps,
      smallBytes: this.smallBytes,
      smallNs: this.smallNs,
      comparedOps: this.comparedOps,
      sequentialOps: this.sequentialOps,
      nonSequentialNs: this.nonSequentialNs,
      syncOps: this.syncOps,
      syncNs: this.syncNs,
      avgBytes: this.ops > 0 ? this.bytes / this.ops : null,
      pattern: ioPattern(this.sequentialOps, this.comparedOps),
      syscall: this.syscall,
    };
  }
}

// Accumulated I/O of one stream (fd or file).
export class StreamAcc {
  readonly reads = new SideAcc();
  readonly writes = new SideAcc();
  fds = 0;
  extent = -1;
  // where the last call on this fd ended (fd streams only)
  lastEnd = Number.NaN;

  constructor(
    readonly path: string | null,
    readonly pid: number | null,
    readonly fd: number | null,
  ) {}

  // Adds a call; `sequential` is null when it could not be compared.
  add(call: IoCall, sequential: boolean | null): void {
    const side = call.read ? this.reads : this.writes;
    side.totalNs += call.ns;
    side.syscall = call.syscall;
    if (call.ret < 0) {
      side.failed++;
      return;
    }
    side.ops++;
    side.bytes += call.ret;
    const size = Number.isNaN(call.requested) ? call.ret : call.requested;
    if (size < SMALL_IO_BYTES && (call.ret > 0 || !Number.isNaN(call.requested))) {
      side.smallOps++;
      side.smallBytes += call.ret;
      side.smallNs += call.ns;
    }
    if (call.synced && !call.read) {
      side.syncOps++;
      side.syncNs += call.ns;
    }
    if (sequential !== null) {
      side.comparedOps++;
      if (sequential) side.sequentialOps++;
      else side.nonSequentialNs += call.ns;
    }
    if (!Number.isNaN(call.offset) && call.offset + call.ret > this.extent) this.extent = call.offset + call.ret;
  }

  finish(): IoStreamStats {
    const reads = this.reads.finish();
    const writes = this.writes.finish();
    const ops = reads.ops + writes.ops;
    const bytes = reads.bytes + writes.bytes;
    const compared = reads.comparedOps + writes.comparedOps;
    const sequential = reads.sequentialOps + writes.sequentialOps;
    return {
      path: this.path,
      pid: this.pid,
      fd: this.fd,
      fds: this.fds,
      reads,
      writes,
      ops,
      bytes,
      totalNs: reads.totalNs + writes.totalNs,
      pattern: ioPattern(sequential, compared),
      sequentialShare: compared > 0 ? sequential / compared : null,
      avgBytes: ops > 0 ? bytes / ops : null,
      readWriteRatio: writes.bytes > 0 ? reads.bytes / writes.bytes : null,
      extentBytes: this.extent >= 0 ? this.extent : null,
    };
  }
}

// A bounded map of streams with an "other" row for the rest.
export class StreamTable {
  private readonly streams = new Map<string | number, StreamAcc>();
  private other: StreamAcc | null = null;
  private readonly folded = new Set<string | number>();
  private foldedAtLeast = false;

  constructor(readonly limit: number) {}

  // whether the last get() made a new stream
  created = false;

  // The stream of a key, made (for path, pid, fd) on first sight; the shared "other" row when full.
  get(key: string | number, path: string | null, pid: number | null, fd: number | null): StreamAcc {
    this.created = false;
    let s = this.streams.get(key);
    if (s !== undefined) return s;
    if (this.streams.size < this.limit) {
      s = new StreamAcc(path, pid, fd);
      this.streams.set(key, s);
      this.created = true;
      return s;
    }
    if (!this.folded.has(key)) {
      if (this.folded.size < MAX_FOLDED_COUNTED) this.folded.add(key);
      else this.foldedAtLeast = true;
    }
    this.other ??= new StreamAcc(null, null, null);
    return this.other;
  }

  // The stream of a key if it is kept apart.
  peek(key: string | number): StreamAcc | undefined {
    return this.streams.get(key);
  }

  // Whether a stream is the folded "other" row.
  isOther(s: StreamAcc): boolean {
    return s === this.other;
  }

  finish(): IoStreamTable {
    const rows = [...this.streams.values()].map((s) => s.finish()).sort(compareStreams);
    return { rows, other: this.other?.finish() ?? null, folded: this.folded.size, foldedAtLeast: this.foldedAtLeast };
  }
}

// By time, then calls (both descending), then path.
function compareStreams(a: IoStreamStats, b: IoStreamStats): number {
  return b.totalNs - a.totalNs || b.ops - a.ops || ((a.path ?? '') < (b.path ?? '') ? -1 : (a.path ?? '') > (b.path ?? '') ? 1 : 0) || (a.pid ?? 0) - (b.pid ?? 0) || (a.fd ?? 0) - (b.fd ?? 0);
}
