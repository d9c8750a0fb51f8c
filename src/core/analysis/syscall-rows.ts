// One summary row per syscall, sorted by the time spent in it.
import type { SyscallStats } from '../model/profile.js';
import { quantileErrorBound } from '../model/sampling.js';

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
  // sampled captures only: the calls timed (count and errors stay exact; the
  // times are estimates), and the worst relative error bound of p50/p99,
  // sampling error included (null: nothing was timed)
  readonly timedCalls?: number;
  readonly percentileError?: number | null;
}

// The quantiles a row shows.
const ROW_QUANTILES = [0.5, 0.99] as const;

// The row of one syscall.
export function syscallRow(s: SyscallStats, samplePeriod = 1): SyscallRow {
  const empty = s.count === 0 || s.timedCalls === 0;
  const row: SyscallRow = {
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
  if (s.timedCalls === undefined) return row;
  return { ...row, timedCalls: s.timedCalls, percentileError: empty ? null : worstBound(s, samplePeriod) };
}

// the worst error bound of the row's quantiles (bucket width plus the 95% sampling band)
function worstBound(s: SyscallStats, period: number): number | null {
  let worst: number | null = null;
  for (const q of ROW_QUANTILES) {
    const bound = quantileErrorBound(s.histogram, q, period, s.maxNs);
    if (bound !== null) worst = Math.max(worst ?? 0, bound);
  }
  return worst;
}

// Rows by total time, then count (both descending), then name.
export function syscallRows(stats: readonly SyscallStats[], samplePeriod = 1): SyscallRow[] {
  return stats.map((s) => syscallRow(s, samplePeriod)).sort(compareRows);
}

// The order syscallRows uses.
export function compareRows(a: SyscallRow, b: SyscallRow): number {
  return b.totalNs - a.totalNs || b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
