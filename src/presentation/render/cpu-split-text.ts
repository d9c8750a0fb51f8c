// On- and off-CPU time inside syscalls, in words.
import type { CpuSplit, CpuSplitSummary } from '../../core/analysis/cpu-split.js';
import { formatDuration } from './units.js';

// "of 2.1 s in fsync, 1.9 s blocked, 0.1 s waiting for a CPU, 0.1 s on the CPU".
export function cpuSplitText(s: CpuSplit): string {
  return `of ${formatDuration(s.totalNs)} in ${s.name}, ${formatDuration(s.blockedNs)} blocked${s.runqNs === null ? '' : `, ${formatDuration(s.runqNs)} waiting for a CPU`}, ${formatDuration(s.onCpuNs)} on the CPU`;
}

// What the splits say together, in one sentence.
export function cpuSummaryText(s: CpuSplitSummary): string {
  const share = (ns: number): string => `${((100 * ns) / s.totalNs).toFixed(1)}%`;
  const parts = `${share(s.blockedNs)} blocked, ${share(s.runqNs)} waiting for a CPU, ${share(s.onCpuNs)} on the CPU`;
  const of = `Of ${formatDuration(s.totalNs)} inside syscalls (waiting calls aside), ${parts}`;
  switch (s.dominant) {
    case 'cpu-starved':
      return `${of}: threads were ready to run but had no CPU, so the machine's CPUs are saturated - faster disks will not help; fewer runnable threads or more CPUs will.`;
    case 'blocked':
      return `${of}: the time is spent waiting on devices, peers or locks, not on CPU work in the kernel.`;
    case 'on-cpu':
      return `${of}: the kernel is busy doing the work itself (copying, page faults, lookups); fewer or larger calls cut it.`;
  }
}
