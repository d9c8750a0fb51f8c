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
// No wall time: 'unknown'.
import { CATEGORY_LABELS, type Category } from '../model/categories.js';
import { formatCount, formatDuration, formatPercent } from '../../presentation/render/units.js';
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

// The verdict and the numbers behind it.
export interface Verdict {
  readonly kind: VerdictKind;
  // one line: "I/O-bound: 72% of thread time in I/O syscalls"
  readonly summary: string;
  // the numbers that decided it, in words
  readonly evidence: readonly string[];
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
}

const KIND_TEXT: Readonly<Record<Exclude<VerdictKind, 'mixed' | 'unknown'>, string>> = {
  'cpu-bound': 'CPU-bound',
  'io-bound': 'I/O-bound',
  'lock-bound': 'Lock-bound',
  idle: 'Idle',
};

// The verdict of a capture.
export function verdictOf(aggregate: Aggregate, durationNs: number | null, cpuNs: number | null, facts: CaptureFacts | null): Verdict {
  const threads = Math.max(1, aggregate.threads.length > 0 ? aggregate.threads.length : aggregate.processes.length);
  if (durationNs === null || durationNs <= 0) {
    return { kind: 'unknown', summary: 'Unknown: the capture has no wall time', evidence: [], capacityNs: null, threads, cpu: null, cpuEstimated: false, io: null, lock: null, idle: null };
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

  const evidence = [
    `Wall time ${formatDuration(durationNs)} x ${formatCount(threads)} thread${threads === 1 ? '' : 's'} = ${formatDuration(capacity)} of thread time`,
    cpu === null
      ? 'CPU time: unknown (the capture does not say, and with several threads it cannot be estimated)'
      : `CPU time ${formatDuration(cpu.ns)} (${formatPercent(cpu.share)})${cpuEstimated ? ', estimated as wall time minus time in I/O and waiting syscalls' : ''}`,
    `I/O syscalls (${IO_CATEGORIES.map((c) => CATEGORY_LABELS[c].toLowerCase()).join(', ')}) ${formatDuration(io.ns)} (${formatPercent(io.share)})`,
    `Lock waits (futex) ${formatDuration(lock.ns)} (${formatPercent(lock.share)})`,
    `Idle waits (epoll, poll, sleeps, child waits) ${formatDuration(idle.ns)} (${formatPercent(idle.share)})`,
  ];
  const candidates: Array<[Exclude<VerdictKind, 'mixed' | 'unknown'>, VerdictPart | null, string]> = [
    ['cpu-bound', cpu, 'on the CPU'],
    ['io-bound', io, 'in I/O syscalls'],
    ['lock-bound', lock, 'waiting for locks'],
    ['idle', idle, 'waiting for events'],
  ];
  let best: [Exclude<VerdictKind, 'mixed' | 'unknown'>, VerdictPart, string] | null = null;
  for (const [kind, p, what] of candidates) if (p !== null && (best === null || p.share > best[1].share)) best = [kind, p, what];
  const known = candidates.reduce((n, [, p]) => n + (p?.share ?? 0), 0);
  let kind: VerdictKind;
  let summary: string;
  if (best !== null && best[1].share >= VERDICT_SHARE) {
    kind = best[0];
    summary = `${KIND_TEXT[best[0]]}: ${formatPercent(best[1].share)} of thread time ${best[2]}`;
  } else if (known >= VERDICT_SHARE) {
    kind = 'mixed';
    summary = `Mixed: no part reaches ${formatPercent(VERDICT_SHARE)} of thread time (largest: ${best === null ? '-' : `${formatPercent(best[1].share)} ${best[2]}`})`;
  } else {
    kind = 'unknown';
    summary = `Unknown: only ${formatPercent(known)} of thread time is accounted for`;
  }
  return { kind, summary, evidence, capacityNs: capacity, threads, cpu, cpuEstimated, io, lock, idle };
}
