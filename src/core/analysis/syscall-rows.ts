// One summary row per syscall, sorted by the time spent in it.
import type { SyscallStats } from '../model/profile.js';

// A syscall's summary; latency fields are null when it has no calls.
export interface SyscallRow {
  readonly name: string;
  readonly nr: number | null;
  readonly count: number;
  readonly errors: number;
  readonly totalNs: number;
  readonly avgNs: number | null;
  readonly p50Ns: number | null;
  readonly p99Ns: number | null;
  readonly maxNs: number | null;
  // of totalNs, off the CPU and of that runnable; null when the backend cannot tell
  readonly offCpuNs: number | null;
  readonly runqNs: number | null;
}

// The row of one syscall.
export function syscallRow(s: SyscallStats): SyscallRow {
  const empty = s.count === 0;
  return {
    name: s.name,
    nr: s.nr,
    count: s.count,
    errors: s.errors,
    totalNs: s.totalNs,
    avgNs: empty ? null : s.totalNs / s.count,
    p50Ns: empty ? null : s.histogram.percentile(0.5, s.maxNs),
    p99Ns: empty ? null : s.histogram.percentile(0.99, s.maxNs),
    maxNs: empty ? null : s.maxNs,
    offCpuNs: s.offCpuNs ?? null,
    runqNs: s.runqNs ?? null,
  };
}

// Rows by total time, then count (both descending), then name.
export function syscallRows(stats: readonly SyscallStats[]): SyscallRow[] {
  return stats.map(syscallRow).sort(compareRows);
}

// The order syscallRows uses.
export function compareRows(a: SyscallRow, b: SyscallRow): number {
  return b.totalNs - a.totalNs || b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
