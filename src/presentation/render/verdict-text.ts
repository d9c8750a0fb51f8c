// The verdict in words: one summary line and the numbers that decided it.
import { IO_CATEGORIES, VERDICT_SHARE, type Verdict, type VerdictPartName } from '../../core/analysis/verdict.js';
import { CATEGORY_LABELS } from '../../core/model/categories.js';
import { formatCount, formatDuration, formatPercent } from './units.js';

// What a reader sees of the verdict.
export interface VerdictText {
  // one line: "I/O-bound: 72% of thread time in I/O syscalls"
  readonly summary: string;
  // the numbers that decided it; none without a wall time
  readonly evidence: readonly string[];
}

const PART_TEXT: Readonly<Record<VerdictPartName, { readonly kind: string; readonly what: string }>> = {
  cpu: { kind: 'CPU-bound', what: 'on the CPU' },
  io: { kind: 'I/O-bound', what: 'in I/O syscalls' },
  lock: { kind: 'Lock-bound', what: 'waiting for locks' },
  idle: { kind: 'Idle', what: 'waiting for events' },
};

// The verdict in words.
export function verdictText(v: Verdict): VerdictText {
  if (v.durationNs === null || v.capacityNs === null || v.io === null || v.lock === null || v.idle === null) return { summary: 'Unknown: the capture has no wall time', evidence: [] };
  const { cpu, io, lock, idle } = v;
  const evidence = [
    `Wall time ${formatDuration(v.durationNs)} x ${formatCount(v.threads)} thread${v.threads === 1 ? '' : 's'} = ${formatDuration(v.capacityNs)} of thread time`,
    cpu === null
      ? 'CPU time: unknown (the capture does not say, and with several threads it cannot be estimated)'
      : `CPU time ${formatDuration(cpu.ns)} (${formatPercent(cpu.share)})${v.cpuEstimated ? ', estimated as wall time minus time in I/O and waiting syscalls' : ''}`,
    `I/O syscalls (${IO_CATEGORIES.map((c) => CATEGORY_LABELS[c].toLowerCase()).join(', ')}) ${formatDuration(io.ns)} (${formatPercent(io.share)})`,
    `Lock waits (futex) ${formatDuration(lock.ns)} (${formatPercent(lock.share)})`,
    `Idle waits (epoll, poll, sleeps, child waits) ${formatDuration(idle.ns)} (${formatPercent(idle.share)})`,
  ];
  const largest = v.largest === null ? null : `${formatPercent(v.largest.share)} ${PART_TEXT[v.largest.part].what}`;
  let summary: string;
  if (v.kind === 'mixed') summary = `Mixed: no part reaches ${formatPercent(VERDICT_SHARE)} of thread time (largest: ${largest ?? '-'})`;
  else if (v.kind === 'unknown' || v.largest === null) summary = `Unknown: only ${formatPercent(v.accountedShare)} of thread time is accounted for`;
  else summary = `${PART_TEXT[v.largest.part].kind}: ${formatPercent(v.largest.share)} of thread time ${PART_TEXT[v.largest.part].what}`;
  return { summary, evidence };
}
