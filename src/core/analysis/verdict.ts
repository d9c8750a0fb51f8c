// The verdict for the whole target: what its threads spent their time on.
//
// Time is compared with the threads' capacity: the sum of each traced thread's
// lifetime inside the trace (measured in the kernel: CaptureMeta.threadNs);
// captures without it fall back to wall time x threads seen (processes for an
// aggregate capture; at least 1), said so. The parts of the capacity:
//   io    in disk read/write, sync, network and file-metadata syscalls: all of
//         their time, whatever the thread did inside them (blocked, runnable,
//         the kernel's own work): it is what the I/O cost
//   cpu   on the CPU outside I/O syscalls, user and kernel (CaptureMeta.cpuNs,
//         measured in the kernel, less the on-CPU part of the I/O syscalls when
//         the off-CPU split says it). When unknown and the target is
//         single-threaded: estimated as wall time minus time blocked or waiting
//         in syscalls, marked estimated; unknown otherwise
//   runq  runnable, waiting for a CPU, outside I/O syscalls: the scheduler's
//         run_delay measured in the kernel (CaptureMeta.runqNs), else the
//         runnable time inside the other syscalls (off-CPU split)
//   lock  futex waits (FUTEX_WAIT/WAIT_BITSET from the per-call facts, else all
//         futex time); with one thread there is no one to contend with: idle
//   idle  the rest of the waiting calls (epoll_wait, poll, sleeps, wait4...) and
//         the time blocked reading or writing pipes, event fds and terminals
//         (waiting for the process at the other end). With the off-CPU split,
//         only the blocked part of a wait is waiting: once woken, a thread
//         runnable but not running wants the CPU (runq)
//   other what is left (page faults, calls already under way when tracing
//         began and still under way when it ended; runnable time outside
//         syscalls when run_delay was not measured), >= 0
// Waiting is not work: the verdict weighs the working time, the parts known to
// be work (cpu, runq, io, lock: capacity - idle - other; capacity - idle when
// the CPU time is unknown).
// With less than IDLE_WORKING_SHARE of the capacity working the target is
// 'idle'. Otherwise the part with the largest share of the working time (cpu
// counting its runq) decides when it reaches VERDICT_SHARE: cpu-bound, io-bound
// or lock-bound; below that 'mixed'. 'unknown' only when the capture lacks the
// data (no wall time; CPU time unknown with several threads and no other part
// reaching VERDICT_SHARE of the working time), with what is missing.
// Numbers only: the presentation side (render/verdict-text.ts) says it in words.
import type { Category } from '../model/categories.js';
import type { Aggregate } from './aggregate.js';
import { categoryTimes } from './category-times.js';
import type { CaptureFacts } from './facts/collector.js';

// What the target was bound by.
export type VerdictKind = 'cpu-bound' | 'io-bound' | 'lock-bound' | 'idle' | 'mixed' | 'unknown';

// The share of the working time that decides a verdict.
export const VERDICT_SHARE = 0.5;

// Below this share of the capacity working, the target is idle.
export const IDLE_WORKING_SHARE = 0.1;

// Categories whose time is I/O.
export const IO_CATEGORIES: readonly Category[] = ['sync', 'disk-read', 'disk-write', 'network', 'metadata'];

// One part of the time: its share of capacity and, for working parts, of the working time.
export interface VerdictPart {
  readonly ns: number;
  readonly share: number;
}

// The parts of the time a verdict weighs.
export type VerdictPartName = 'cpu' | 'io' | 'lock' | 'idle';

// What a capture lacks for a verdict.
export type VerdictMissing = 'wall-time' | 'cpu-time';

// What the verdict needs besides the aggregate: the capture's measured times.
export interface VerdictInput {
  // wall time; null when unknown
  readonly durationNs: number | null;
  // on-CPU time of the traced threads; null when unknown
  readonly cpuNs?: number | null;
  // the traced threads' lifetimes inside the trace, added; null when unknown
  readonly threadNs?: number | null;
  // threads that lived while traced; null when unknown
  readonly threadCount?: number | null;
  // their time runnable, waiting for a CPU, in and out of syscalls (the scheduler's run_delay); null when unknown
  readonly runqNs?: number | null;
}

// The verdict and the numbers behind it.
export interface Verdict {
  readonly kind: VerdictKind;
  // the capture's wall time; null when unknown
  readonly durationNs: number | null;
  // the threads' time; null without a wall time
  readonly capacityNs: number | null;
  // the capacity is the threads' measured lifetimes (else estimated, see capacitySource)
  readonly capacityMeasured: boolean;
  readonly capacitySource: CapacitySource | null;
  readonly threads: number;
  // null when unknown
  readonly cpu: VerdictPart | null;
  // the CPU time was estimated (single-threaded: wall time minus I/O and waiting syscall time)
  readonly cpuEstimated: boolean;
  // runnable, waiting for a CPU (outside I/O syscalls); null when neither run_delay nor the off-CPU split is known
  readonly runq: VerdictPart | null;
  // runq is the scheduler's run_delay, in and out of syscalls (else only inside syscalls)
  readonly runqMeasured: boolean;
  readonly io: VerdictPart | null;
  readonly lock: VerdictPart | null;
  readonly idle: VerdictPart | null;
  // the rest of the capacity; null when the CPU time is unknown
  readonly other: VerdictPart | null;
  // time in working (non-waiting) syscalls, on or off the CPU; null without a wall time
  readonly syscalls: VerdictPart | null;
  // capacity - idle, and its share of the capacity; null without a wall time
  readonly working: VerdictPart | null;
  // the working part with the largest share of the working time (cpu with its runq); null without a wall time
  readonly largest: { readonly part: VerdictPartName; readonly share: number } | null;
  // the shares of the known parts added up (of capacity)
  readonly accountedShare: number;
  // what the capture lacks, when the verdict is unknown for want of data
  readonly missing: VerdictMissing | null;
}

// The kind each part decides.
const PART_KIND: Readonly<Record<VerdictPartName, Exclude<VerdictKind, 'mixed' | 'unknown'>>> = {
  cpu: 'cpu-bound',
  io: 'io-bound',
  lock: 'lock-bound',
  idle: 'idle',
};

// How the capacity was known: the kernel measured the lifetimes; the spans of each
// thread's calls (first call to last, a per-call capture without lifetimes); wall time x threads seen.
export type CapacitySource = 'measured' | 'call-spans' | 'wall-time';

// A thread's calls span at least this share of the wall time for the spans to stand for its lifetime...
const SPAN_TRUST_SHARE = 0.5;

// The threads' time a capture had: measured lifetimes; else, for a per-call
// capture, each thread's span of calls when the longest spans most of the wall
// time (a thread that makes no call for a long stretch is under-counted: the
// spans are a lower bound); else wall time x threads seen.
export function capacityOf(aggregate: Aggregate, input: VerdictInput): { readonly ns: number; readonly measured: boolean; readonly source: CapacitySource; readonly threads: number } | null {
  const seen = Math.max(1, aggregate.threads.length > 0 ? aggregate.threads.length : aggregate.processes.length);
  const threads = input.threadCount != null && input.threadCount > 0 ? input.threadCount : seen;
  if (input.threadNs != null && input.threadNs > 0) return { ns: input.threadNs, measured: true, source: 'measured', threads };
  if (input.durationNs === null || input.durationNs <= 0) return null;
  const spans = aggregate.threads.map((t) => Math.min(t.spanNs ?? 0, input.durationNs!));
  const longest = spans.reduce((m, n) => Math.max(m, n), 0);
  if (aggregate.threads.length > 1 && longest >= SPAN_TRUST_SHARE * input.durationNs) {
    // the main thread stands for the whole trace; the others for their spans
    const ns = input.durationNs + spans.reduce((a, n) => a + n, 0) - longest;
    return { ns, measured: false, source: 'call-spans', threads: seen };
  }
  return { ns: input.durationNs * seen, measured: false, source: 'wall-time', threads: seen };
}

// The verdict of a capture.
export function verdictOf(aggregate: Aggregate, input: VerdictInput, facts: CaptureFacts | null): Verdict {
  const { durationNs } = input;
  const cap = durationNs === null || durationNs <= 0 ? null : capacityOf(aggregate, input);
  const threads = cap?.threads ?? Math.max(1, aggregate.threads.length > 0 ? aggregate.threads.length : aggregate.processes.length);
  if (durationNs === null || durationNs <= 0 || cap === null) {
    return {
      kind: 'unknown',
      durationNs: null,
      capacityNs: null,
      capacityMeasured: false,
      capacitySource: null,
      threads,
      cpu: null,
      cpuEstimated: false,
      runq: null,
      runqMeasured: false,
      io: null,
      lock: null,
      idle: null,
      other: null,
      syscalls: null,
      working: null,
      largest: null,
      accountedShare: 0,
      missing: 'wall-time',
    };
  }
  const capacity = cap.ns;
  const times = categoryTimes(aggregate);
  const inCategories = (cs: readonly Category[]): number => times.filter((c) => cs.includes(c.category)).reduce((n, c) => n + c.totalNs, 0);
  // blocked (off the CPU, not runnable) in these categories; null when a category with time has no split
  const blockedIn = (cs: readonly Category[]): number | null => {
    let n = 0;
    for (const c of times) {
      if (!cs.includes(c.category)) continue;
      if (c.offCpuNs === null) return c.totalNs > 0 ? null : n;
      n += Math.max(0, Math.min(c.offCpuNs, c.totalNs) - (c.runqNs ?? 0));
    }
    return n;
  };
  const ioTotalNs = inCategories(IO_CATEGORIES);
  const waitNs = inCategories(['wait']);
  const split = times.some((c) => c.offCpuNs !== null);
  // time in I/O syscalls is I/O, whatever the thread did inside them (blocked, runnable, kernel work)
  const ioNs = ioTotalNs;
  // of it, on the CPU (kernel work): the measured CPU time includes it
  const ioOnCpuNs = split ? times.filter((c) => IO_CATEGORIES.includes(c.category)).reduce((n, c) => n + Math.max(0, c.totalNs - Math.min(c.offCpuNs ?? 0, c.totalNs)), 0) : 0;
  // pipes, event fds, terminals: blocked there is waiting for the other end
  const peerWaitNs = split ? (blockedIn(['other']) ?? 0) : 0;
  // runnable inside the other syscalls (a woken wait included): CPU demand; with the
  // scheduler's run_delay measured, all runnable time but what the I/O syscalls hold
  const runqInIo = times.filter((c) => IO_CATEGORIES.includes(c.category)).reduce((n, c) => n + (c.runqNs ?? 0), 0);
  const runqInSyscalls = split ? times.filter((c) => !IO_CATEGORIES.includes(c.category)).reduce((n, c) => n + (c.runqNs ?? 0), 0) : null;
  const runqNs = input.runqNs != null && input.runqNs > 0 ? Math.max(runqInSyscalls ?? 0, input.runqNs - runqInIo) : runqInSyscalls;
  const futexNs = facts !== null ? facts.waits.futex.waitNs : (aggregate.syscalls.find((s) => s.name === 'futex')?.totalNs ?? 0);
  // woken but not yet running is CPU demand (runq), not waiting: with the split, only the blocked part waits
  const waitBlockedNs = split ? (blockedIn(['wait']) ?? waitNs) : waitNs;
  const lockNs = threads > 1 ? Math.min(futexNs, waitBlockedNs) : 0;
  const idleNs = Math.max(0, waitBlockedNs - lockNs) + peerWaitNs;
  const measuredCpu = input.cpuNs != null && input.cpuNs > 0 ? input.cpuNs : null;
  const cpuEstimated = measuredCpu === null && threads === 1;
  // on the CPU outside I/O syscalls
  const cpuTime = measuredCpu !== null ? Math.max(0, measuredCpu - ioOnCpuNs) : threads === 1 ? Math.max(0, durationNs - ioNs - (runqNs ?? 0) - waitBlockedNs - peerWaitNs) : null;
  const part = (ns: number): VerdictPart => ({ ns, share: capacity > 0 ? ns / capacity : 0 });
  const cpu = cpuTime === null ? null : part(cpuTime);
  const runq = runqNs === null ? null : part(runqNs);
  const io = part(ioNs);
  const lock = part(lockNs);
  const idle = part(Math.min(idleNs, capacity));
  const known = (cpu?.ns ?? 0) + (runq?.ns ?? 0) + io.ns + lock.ns + idle.ns;
  const other = cpu === null ? null : part(Math.max(0, capacity - known));
  // the time known to be work; what is unaccounted for (other) is not weighed
  const workingNs = cpu === null ? Math.max(0, capacity - idle.ns) : Math.max(0, capacity - idle.ns - (other?.ns ?? 0));
  const working = part(workingNs);
  const accountedShare = known / capacity;

  // the working parts, as shares of the working time
  const ofWorking = (ns: number): number => (workingNs > 0 ? ns / workingNs : 0);
  const candidates: Array<[VerdictPartName, number | null]> = [
    ['cpu', cpu === null ? null : ofWorking(cpu.ns + (runq?.ns ?? 0))],
    ['io', ofWorking(io.ns)],
    ['lock', ofWorking(lock.ns)],
  ];
  let largest: { part: VerdictPartName; share: number } | null = null;
  for (const [name, share] of candidates) if (share !== null && (largest === null || share > largest.share)) largest = { part: name, share };
  let kind: VerdictKind;
  let missing: VerdictMissing | null = null;
  if (working.share < IDLE_WORKING_SHARE) {
    kind = 'idle';
    largest = { part: 'idle', share: idle.share };
  } else if (largest !== null && largest.share >= VERDICT_SHARE) kind = PART_KIND[largest.part];
  else if (cpu === null) {
    kind = 'unknown';
    missing = 'cpu-time';
  } else kind = 'mixed';
  return {
    kind,
    durationNs,
    capacityNs: capacity,
    capacityMeasured: cap.measured,
    capacitySource: cap.source,
    threads,
    cpu,
    cpuEstimated,
    runq,
    runqMeasured: input.runqNs != null && input.runqNs > 0,
    io,
    lock,
    idle,
    other,
    syscalls: part(times.filter((c) => !c.waiting).reduce((n, c) => n + c.totalNs, 0)),
    working,
    largest,
    accountedShare,
    missing,
  };
}
