// On-CPU vs off-CPU inside syscalls: of the time in a syscall, how much the
// thread was blocked (off the CPU, not runnable), waiting for a CPU (runnable,
// preempted), and running. Only where the capture carries off-CPU times.
import { categoryOfName, isWaiting } from '../model/categories.js';
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
}

// The split of something with time and off-CPU sums; null when the off-CPU time is unknown.
export function cpuSplit(name: string, totalNs: number, offCpuNs: number | null, runqNs: number | null): CpuSplit | null {
  if (offCpuNs === null) return null;
  const off = Math.min(offCpuNs, totalNs);
  const runq = runqNs === null ? null : Math.min(runqNs, off);
  const blocked = off - (runq ?? 0);
  return { name, totalNs, offCpuNs: off, blockedNs: blocked, runqNs: runq, onCpuNs: totalNs - off };
}

// The splits of the syscalls that have off-CPU times, by total time; empty when the capture has none.
export function syscallCpuSplits(aggregate: Aggregate): CpuSplit[] {
  return aggregate.syscalls
    .filter((s) => s.count > 0)
    .map((s) => cpuSplit(s.name, s.totalNs, s.offCpuNs, s.runqNs))
    .filter((s): s is CpuSplit => s !== null);
}

// What the splits say together: where time inside the working syscalls went, and what that means.
export interface CpuSplitSummary {
  readonly totalNs: number;
  readonly blockedNs: number;
  readonly runqNs: number;
  readonly onCpuNs: number;
  // what the time mostly is: "blocked" (waits on devices, locks, peers), "cpu-starved"
  // (runnable, waiting for a CPU: the machine is saturated), "on-cpu" (kernel work)
  readonly dominant: 'blocked' | 'cpu-starved' | 'on-cpu';
}

// A share of syscall time spent runnable but waiting for a CPU above which the CPU, not the device, is the problem.
export const CPU_STARVED_SHARE = 0.2;

// The summary of the splits of the syscalls that do work (waiting calls such
// as epoll_wait, futex or sleeps are blocked by design and left out); null when
// there are none or no time.
export function cpuSplitSummary(splits: readonly CpuSplit[]): CpuSplitSummary | null {
  let totalNs = 0;
  let blockedNs = 0;
  let runqNs = 0;
  for (const s of splits) {
    if (isWaiting(categoryOfName(s.name))) continue;
    totalNs += s.totalNs;
    blockedNs += s.blockedNs;
    runqNs += s.runqNs ?? 0;
  }
  if (totalNs <= 0) return null;
  const onCpuNs = Math.max(0, totalNs - blockedNs - runqNs);
  const dominant: CpuSplitSummary['dominant'] = runqNs / totalNs >= CPU_STARVED_SHARE ? 'cpu-starved' : blockedNs >= onCpuNs ? 'blocked' : 'on-cpu';
  return { totalNs, blockedNs, runqNs, onCpuNs, dominant };
}
