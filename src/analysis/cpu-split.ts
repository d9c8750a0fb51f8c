// On-CPU vs off-CPU inside syscalls: of the time in a syscall, how much the
// thread was blocked (off the CPU, not runnable), waiting for a CPU (runnable,
// preempted), and running. Only where the capture carries off-CPU times.
import { formatDuration } from '../render/units.js';
import type { Aggregate } from './aggregate.js';

// One syscall's (or category's) time split by what the thread was doing.
export interface CpuSplit {
  readonly name: string;
  readonly totalNs: number;
  // off the CPU: blocked + waiting for a CPU
  readonly offCpuNs: number;
  // blocked (off the CPU, not runnable); offCpuNs when the runnable part is unknown
  readonly blockedNs: number;
  // runnable, waiting for a CPU; null when unknown
  readonly runqNs: number | null;
  // running in the kernel
  readonly onCpuNs: number;
  // "of 2.1 s in fsync, 1.9 s blocked, 0.1 s waiting for a CPU"
  readonly text: string;
}

// The split of something with time and off-CPU sums; null when the off-CPU time is unknown.
export function cpuSplit(name: string, totalNs: number, offCpuNs: number | null, runqNs: number | null): CpuSplit | null {
  if (offCpuNs === null) return null;
  const off = Math.min(offCpuNs, totalNs);
  const runq = runqNs === null ? null : Math.min(runqNs, off);
  const blocked = off - (runq ?? 0);
  const text = `of ${formatDuration(totalNs)} in ${name}, ${formatDuration(blocked)} blocked${runq === null ? '' : `, ${formatDuration(runq)} waiting for a CPU`}, ${formatDuration(totalNs - off)} on the CPU`;
  return { name, totalNs, offCpuNs: off, blockedNs: blocked, runqNs: runq, onCpuNs: totalNs - off, text };
}

// The splits of the syscalls that have off-CPU times, by total time; empty when the capture has none.
export function syscallCpuSplits(aggregate: Aggregate): CpuSplit[] {
  return aggregate.syscalls
    .filter((s) => s.count > 0)
    .map((s) => cpuSplit(s.name, s.totalNs, s.offCpuNs, s.runqNs))
    .filter((s): s is CpuSplit => s !== null);
}
