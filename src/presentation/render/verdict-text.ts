// The verdict in words: one summary line and the numbers that decided it.
import { IO_CATEGORIES, VERDICT_SHARE, type Verdict, type VerdictPartName } from '../../core/analysis/verdict.js';
import { BOTTLENECK_SHARE } from '../../core/analysis/category-times.js';
import { CATEGORY_LABELS } from '../../core/model/categories.js';
import { formatCount, formatDuration, formatPercent } from './units.js';

// What a reader sees of the verdict.
export interface VerdictText {
  // one line: "I/O-bound: 72% of the working time in I/O syscalls"
  readonly summary: string;
  // the numbers that decided it; none without a wall time
  readonly evidence: readonly string[];
}

const PART_TEXT: Readonly<Record<VerdictPartName, { readonly kind: string; readonly what: string }>> = {
  cpu: { kind: 'CPU-bound', what: 'on the CPU' },
  io: { kind: 'I/O-bound', what: 'in I/O syscalls' },
  lock: { kind: 'Lock-bound', what: 'waiting for locks' },
  idle: { kind: 'Idle', what: 'waiting for events, children or peers' },
};

// Idle shares below this are not worth a clause in the summary.
const IDLE_MENTION_SHARE = 0.1;

// The verdict in words.
export function verdictText(v: Verdict): VerdictText {
  if (v.durationNs === null || v.capacityNs === null || v.io === null || v.lock === null || v.idle === null || v.working === null) {
    return { summary: 'Unknown: the capture has no wall time', evidence: [] };
  }
  const { cpu, io, lock, idle } = v;
  const pct = (share: number): string => formatPercent(share);
  const threads = `${formatCount(v.threads)} thread${v.threads === 1 ? '' : 's'}`;
  const evidence = [
    v.capacityMeasured
      ? `Threads' time ${formatDuration(v.capacityNs)}: the lifetimes of ${threads} while traced (wall time ${formatDuration(v.durationNs)})`
      : v.capacitySource === 'call-spans'
        ? `Threads' time ${formatDuration(v.capacityNs)}: ${threads}, each from its first call to its last (lifetimes not measured; wall time ${formatDuration(v.durationNs)})`
        : `Wall time ${formatDuration(v.durationNs)} x ${threads} = ${formatDuration(v.capacityNs)} of thread time (lifetimes not measured)`,
    cpu === null
      ? 'On the CPU: unknown (the capture does not say, and with several threads it cannot be estimated)'
      : `On the CPU outside I/O syscalls ${formatDuration(cpu.ns)} (${pct(cpu.share)})${v.cpuEstimated ? ', estimated as wall time minus time in I/O, blocked or waiting in syscalls' : ''}`,
    ...(v.runq === null || v.runq.ns === 0 ? [] : [`Runnable, waiting for a CPU ${formatDuration(v.runq.ns)} (${pct(v.runq.share)})`]),
    `In I/O syscalls (${IO_CATEGORIES.map((c) => CATEGORY_LABELS[c].toLowerCase()).join(', ')}) ${formatDuration(io.ns)} (${pct(io.share)})`,
    `Lock waits (futex) ${formatDuration(lock.ns)} (${pct(lock.share)})`,
    `Waiting (epoll, poll, sleeps, child waits, pipes) ${formatDuration(idle.ns)} (${pct(idle.share)})`,
    ...(v.other === null || v.other.share < 0.01 ? [] : [`Not accounted for (page faults, calls under way all trace long${v.runqMeasured ? '' : ', runnable outside syscalls'}) ${formatDuration(v.other.ns)} (${pct(v.other.share)}), not weighed`]),
  ];
  const idleClause = idle.share >= IDLE_MENTION_SHARE ? `; ${pct(idle.share)} of thread time waiting` : '';
  const largest = v.largest === null ? null : `${pct(v.largest.share)} ${PART_TEXT[v.largest.part].what}`;
  let summary: string;
  if (v.kind === 'idle') summary = `Idle: ${pct(idle.share)} of thread time ${PART_TEXT.idle.what}`;
  else if (v.kind === 'mixed') summary = `Mixed: no part reaches ${pct(VERDICT_SHARE)} of the working time (largest: ${largest ?? '-'})${idleClause}`;
  else if (v.kind === 'unknown' || v.largest === null) {
    summary = `Unknown: the CPU time was not measured (with several threads it cannot be estimated), and no other part reaches ${pct(VERDICT_SHARE)} of the working time`;
  } else {
    summary = `${PART_TEXT[v.largest.part].kind}: ${pct(v.largest.share)} of the working time ${PART_TEXT[v.largest.part].what}${idleClause}`;
    // syscalls as a share of the working time: a CPU-bound target that spends little of it in syscalls is busy in its own code
    const sys = v.syscalls;
    const sysShare = sys === null || v.working.ns <= 0 ? null : Math.min(1, sys.ns / v.working.ns);
    if (v.kind === 'cpu-bound' && sysShare !== null && sysShare < BOTTLENECK_SHARE) summary += `; syscalls ${pct(sysShare)} of it: look at user-space code, not I/O`;
  }
  return { summary, evidence };
}
