// The verdict for the whole target: what its threads spent their time on.
//
// Time is compared with the threads' capacity: wall time x threads seen
// (processes for an aggregate capture; at least 1). The parts:
//   cpu   the target's CPU time (CaptureMeta.cpuNs); when unknown and the target
//         is single-threaded, estimated as wall time minus time in I/O and
//         waiting syscalls (the other syscalls - memory, process, misc - run on
//         the CPU, in the kernel), marked estimated; unknown otherwise
//   io    time in disk read/write, sync, network and file-metadata syscalls
//   lock  futex waits (FUTEX_WAIT/WAIT_BITSET from the per-call facts, else all
//         futex time); with one thread there is no one to contend with: idle
//   idle  the rest of the waiting calls (epoll_wait, poll, sleeps, wait4...)
// The part with the largest share of capacity decides when it reaches
// VERDICT_SHARE (50%): cpu-bound, io-bound, lock-bound or idle. Otherwise
// 'mixed' when the known parts add up to at least VERDICT_SHARE, else 'unknown'
// (too much time unaccounted for, e.g. CPU time unknown with several threads).
// No wall time: 'unknown'. Numbers only: the presentation side (render/verdict-text.ts) says it in words.
import type { Category } from '../model/categories.js';
import type { Aggregate } from './aggregate.js';
import { categoryTimes } from './category-times.js';
import type { CaptureFacts } from './facts/collector.js';

// What the target was bound by.
export type VerdictKind = 'cpu-bound' | 'io-bound' | 'lock-bound' | 'idle' | 'mixed' | 'unknown';

// The share of capacity that decides a verdict.
export const VERDICT_SHARE = 0.5;

// Categories whose time is I/O.
export const IO_CATEGORIES: readonly Category[] = ['sync', 'disk-read', 'disk-write', 'network', 'metadata'];

// One part of the time and its share of capacity.
export interface VerdictPart {
  readonly ns: number;
  readonly share: number;
}

// The parts of the time a verdict weighs.
export type VerdictPartName = 'cpu' | 'io' | 'lock' | 'idle';

// The verdict and the numbers behind it.
export interface Verdict {
  readonly kind: VerdictKind;
  // the capture's wall time; null when unknown
  readonly durationNs: number | null;
  // wall time x threads; null without a wall time
  readonly capacityNs: number | null;
  readonly threads: number;
  // null when unknown
  readonly cpu: VerdictPart | null;
  // the CPU time was estimated (single-threaded: wall time minus I/O and waiting syscall time)
  readonly cpuEstimated: boolean;
  readonly io: VerdictPart | null;
  readonly lock: VerdictPart | null;
  readonly idle: VerdictPart | null;
  // the known part with the largest share (it decides when it reaches VERDICT_SHARE); null without a wall time
  readonly largest: { readonly part: VerdictPartName; readonly share: number } | null;
  // the shares of the known parts added up
  readonly accountedShare: number;
}

// The kind each part decides.
const PART_KIND: Readonly<Record<VerdictPartName, Exclude<VerdictKind, 'mixed' | 'unknown'>>> = {
  cpu: 'cpu-bound',
  io: 'io-bound',
  lock: 'lock-bound',
  idle: 'idle',
};

// The verdict of a capture.
export function verdictOf(aggregate: Aggregate, durationNs: number | null, cpuNs: number | null, facts: CaptureFacts | null): Verdict {
  const threads = Math.max(1, aggregate.threads.length > 0 ? aggregate.threads.length : aggregate.processes.length);
  if (durationNs === null || durationNs <= 0) {
    return { kind: 'unknown', durationNs: null, capacityNs: null, threads, cpu: null, cpuEstimated: false, io: null, lock: null, idle: null, largest: null, accountedShare: 0 };
  }
  const capacity = durationNs * threads;
  const times = categoryTimes(aggregate);
  const inCategories = (cs: readonly Category[]): number => times.filter((c) => cs.includes(c.category)).reduce((n, c) => n + c.totalNs, 0);
  const ioNs = inCategories(IO_CATEGORIES);
  const waitNs = inCategories(['wait']);
  const futexNs = facts !== null ? facts.waits.futex.waitNs : (aggregate.syscalls.find((s) => s.name === 'futex')?.totalNs ?? 0);
  const lockNs = threads > 1 ? Math.min(futexNs, waitNs) : 0;
  const idleNs = Math.max(0, waitNs - lockNs);
  const cpuEstimated = cpuNs == null && threads === 1;
  const cpuTime = cpuNs ?? (threads === 1 ? Math.max(0, durationNs - ioNs - waitNs) : null);
  const part = (ns: number): VerdictPart => ({ ns, share: ns / capacity });
  const cpu = cpuTime === null ? null : part(cpuTime);
  const io = part(ioNs);
  const lock = part(lockNs);
  const idle = part(idleNs);

  const candidates: Array<[VerdictPartName, VerdictPart | null]> = [
    ['cpu', cpu],
    ['io', io],
    ['lock', lock],
    ['idle', idle],
  ];
  let largest: { part: VerdictPartName; share: number } | null = null;
  for (const [name, p] of candidates) if (p !== null && (largest === null || p.share > largest.share)) largest = { part: name, share: p.share };
  const accountedShare = candidates.reduce((n, [, p]) => n + (p?.share ?? 0), 0);
  const kind: VerdictKind = largest !== null && largest.share >= VERDICT_SHARE ? PART_KIND[largest.part] : accountedShare >= VERDICT_SHARE ? 'mixed' : 'unknown';
  return { kind, durationNs, capacityNs: capacity, threads, cpu, cpuEstimated, io, lock, idle, largest, accountedShare };
}
