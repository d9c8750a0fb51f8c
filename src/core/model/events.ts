import type { IoUringProfile } from './io-uring.js';
import type { IoUringRequests } from './io-uring-requests.js';
import type { Profile } from './profile.js';
import type { ListenPressure } from './listen.js';
import type { LoadLevel } from './load.js';
import type { StackHealth, StackProfile, StackTable } from './stacks.js';

// Per-call events: the normalized form every backend's event mode produces.
// Stored by column in batches (a few thousand rows each), so a capture of
// millions of calls streams through in bounded memory.

// How many raw arguments each call carries.
export const ARG_COUNT = 6;

// One completed syscall, as a plain object (for tests and small inputs).
export interface SyscallEvent {
  // entry time, ns since the capture started (CLOCK_MONOTONIC based)
  readonly startNs: number;
  readonly durationNs: number;
  // thread-group id, and thread id
  readonly pid: number;
  readonly tid: number;
  // command name of the process; '' when unknown
  readonly comm: string;
  readonly syscall: string;
  // syscall number when known (x86_64), else null
  readonly nr: number | null;
  // return value; negative is -errno. Exact: every fd, size, errno and user
  // address (< 2^47) fits a double.
  readonly ret: number;
  // the six raw argument registers as unsigned 64-bit values
  readonly args: readonly bigint[];
  // file position before the call (read/write/readv/writev), else null
  readonly pos: number | null;
  // the file or socket the call's fd or path argument refers to, when known
  readonly path: string | null;
  // of durationNs, the time the thread spent off the CPU (blocked, or runnable
  // and waiting for a CPU); null when the backend cannot tell
  readonly offCpuNs?: number | null;
  // of offCpuNs, the time it was runnable but waiting for a CPU (preempted); null when unknown
  readonly runqNs?: number | null;
  // the id of its stack in the batch's stack table (--stacks: slow calls); absent or 0: none taken
  readonly stackId?: number;
}

// Capture-wide facts that travel with the events (file header/trailer).
export interface CaptureMeta {
  // which backend produced the events ("ebpf", "strace", ...)
  readonly backend: string;
  readonly arch: string;
  // a human description of the target: "command: make -j8", "pid 1234", "all"
  readonly target: string;
  // wall clock at startNs = 0, ns since the Unix epoch, as a decimal string
  // (it does not fit a double exactly)
  readonly startRealNs: string;
  // how long the capture ran, ns; null while it is still being written
  readonly durationNs: number | null;
  // calls the kernel could not hand over (ring buffer full): never silent
  readonly lostEvents: number;
  // CPU time (user + system) the traced processes used while traced, ns; null when unknown
  readonly cpuNs?: number | null;
  // the traced threads' lifetimes while traced, summed, ns, and how many
  // threads; null when unknown (Profile.threadNs, Profile.threadCount)
  readonly threadNs?: number | null;
  readonly threadCount?: number | null;
  // the traced threads' time runnable, waiting for a CPU, summed, ns; null when unknown (Profile.runqNs)
  readonly runqNs?: number | null;
  // how loaded the machine was (sweep's captures); absent when not recorded
  readonly load?: LoadLevel | null;
  // listen queue overflows and drops in the tracer's network namespace while it ran; absent when not recorded
  readonly listen?: ListenPressure | null;
  // the kernel's TCP figures from the capture's last snapshot (spb captures);
  // absent or null when not recorded (Profile.tcp)
  readonly tcp?: Profile['tcp'];
  // --stacks: what happened to the slow calls (taken, skipped, unwound), from the capture's end; absent when not recorded
  readonly stackHealth?: StackHealth | null;
  // the kernel filters that were in force (so "no fsync" means none slow enough, say)
  readonly filters: {
    readonly syscalls: readonly string[] | null;
    readonly minDurationNs: number;
    readonly failedOnly: boolean;
  };
}

// A batch of events by column. Row i of every column is one call.
export class EventBatch {
  length = 0;
  startNs: Float64Array;
  durationNs: Float64Array;
  pid: Int32Array;
  tid: Int32Array;
  // -1 when only the name is known
  nr: Int32Array;
  ret: Float64Array;
  // arguments split into low and high 32 bits: exact without BigInt per value
  argLo: Uint32Array[];
  argHi: Uint32Array[];
  // NaN when unknown
  pos: Float64Array;
  // off-CPU part of each call's duration and its runnable-waiting part; NaN when unknown
  offCpuNs: Float64Array;
  runqNs: Float64Array;
  syscall: string[];
  comm: string[];
  path: (string | null)[];
  // the io_uring requests that completed among these rows (event mode), or null
  ioUring: IoUringRequests | null = null;
  // each row's stack id in `stacks` (0: none taken)
  stackId: Uint32Array;
  // the capture's stack definitions by id (shared by its batches, only ever
  // added to); null when the capture has no stacks
  stacks: StackTable | null = null;

  constructor(readonly capacity = 4096) {
    this.startNs = new Float64Array(capacity);
    this.durationNs = new Float64Array(capacity);
    this.pid = new Int32Array(capacity);
    this.tid = new Int32Array(capacity);
    this.nr = new Int32Array(capacity);
    this.ret = new Float64Array(capacity);
    this.argLo = Array.from({ length: ARG_COUNT }, () => new Uint32Array(capacity));
    this.argHi = Array.from({ length: ARG_COUNT }, () => new Uint32Array(capacity));
    this.pos = new Float64Array(capacity);
    this.offCpuNs = new Float64Array(capacity).fill(Number.NaN);
    this.runqNs = new Float64Array(capacity).fill(Number.NaN);
    this.syscall = new Array<string>(capacity);
    this.comm = new Array<string>(capacity);
    this.path = new Array<string | null>(capacity);
    this.stackId = new Uint32Array(capacity);
  }

  // Whether another row fits.
  get full(): boolean {
    return this.length === this.capacity;
  }

  // Appends one event; throws when full (check `full` first).
  push(e: SyscallEvent): void {
    if (this.full) throw new RangeError(`event batch is full (${this.capacity} rows)`);
    const i = this.length++;
    this.startNs[i] = e.startNs;
    this.durationNs[i] = e.durationNs;
    this.pid[i] = e.pid;
    this.tid[i] = e.tid;
    this.nr[i] = e.nr ?? -1;
    this.ret[i] = e.ret;
    for (let k = 0; k < ARG_COUNT; k++) {
      const v = BigInt.asUintN(64, e.args[k] ?? 0n);
      this.argLo[k]![i] = Number(v & 0xffffffffn);
      this.argHi[k]![i] = Number(v >> 32n);
    }
    this.pos[i] = e.pos ?? Number.NaN;
    this.offCpuNs[i] = e.offCpuNs ?? Number.NaN;
    this.runqNs[i] = e.runqNs ?? Number.NaN;
    this.syscall[i] = e.syscall;
    this.comm[i] = e.comm;
    this.path[i] = e.path;
    this.stackId[i] = e.stackId ?? 0;
  }

  // Argument k of row i as a number: exact below 2^53 (fds, sizes, offsets, flags, user pointers).
  argNumber(i: number, k: number): number {
    return this.argHi[k]![i]! * 0x1_0000_0000 + this.argLo[k]![i]!;
  }

  // Argument k of row i as a signed 32-bit int (what an `int fd` argument means).
  argInt(i: number, k: number): number {
    return this.argLo[k]![i]! | 0;
  }

  // Argument k of row i, exact.
  argBigInt(i: number, k: number): bigint {
    return (BigInt(this.argHi[k]![i]!) << 32n) | BigInt(this.argLo[k]![i]!);
  }

  // Row i as a plain object.
  row(i: number): SyscallEvent {
    if (i < 0 || i >= this.length) throw new RangeError(`row ${i} is outside 0..${this.length - 1}`);
    const pos = this.pos[i]!;
    const off = this.offCpuNs[i]!;
    const runq = this.runqNs[i]!;
    return {
      startNs: this.startNs[i]!,
      durationNs: this.durationNs[i]!,
      pid: this.pid[i]!,
      tid: this.tid[i]!,
      comm: this.comm[i]!,
      syscall: this.syscall[i]!,
      nr: this.nr[i]! < 0 ? null : this.nr[i]!,
      ret: this.ret[i]!,
      args: Array.from({ length: ARG_COUNT }, (_, k) => this.argBigInt(i, k)),
      pos: Number.isNaN(pos) ? null : pos,
      path: this.path[i] ?? null,
      // present only when known, so events without them round-trip unchanged
      ...(Number.isNaN(off) ? {} : { offCpuNs: off }),
      ...(Number.isNaN(runq) ? {} : { runqNs: runq }),
      ...(this.stackId[i] === 0 ? {} : { stackId: this.stackId[i]! }),
    };
  }

  // Every row as plain objects (small batches, tests).
  rows(): SyscallEvent[] {
    return Array.from({ length: this.length }, (_, i) => this.row(i));
  }
}

// Batches built from plain events, `capacity` rows at most each.
export function batchesOf(events: Iterable<SyscallEvent>, capacity = 4096): EventBatch[] {
  const out: EventBatch[] = [];
  let cur = new EventBatch(capacity);
  for (const e of events) {
    if (cur.full) {
      out.push(cur);
      cur = new EventBatch(capacity);
    }
    cur.push(e);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

// A capture being read. `meta` is what the start of the input says; some of it
// (durationNs, lostEvents) may only be known at the end, so `final()` gives the
// complete metadata once `batches` has been consumed. An aggregate-only capture
// (an spb stream with snapshots and no events) has no batches and a profile.
export interface CaptureSource {
  readonly meta: CaptureMeta;
  readonly batches: AsyncIterable<EventBatch>;
  // ioUring: the io_uring requests an spb capture of the eBPF backend carries (absent otherwise)
  // stacks: the kernel's stack aggregates an spb capture of `--stacks` carries (absent otherwise)
  final(): { readonly meta: CaptureMeta; readonly profile: Profile | null; readonly ioUring?: IoUringProfile | null; readonly stacks?: StackProfile | null };
}
