// One table row per syscall with its latency statistics (the analyze and report tables).
import type { Aggregate, ErrnoCount, SyscallAggregate } from './aggregate.js';

// The percentiles every row carries, as quantiles.
export const ROW_QUANTILES = { p50Ns: 0.5, p90Ns: 0.9, p95Ns: 0.95, p99Ns: 0.99 } as const;

// A syscall's statistics; latency fields are null when it has no calls.
export interface LatencyRow {
  readonly name: string;
  readonly count: number;
  readonly errors: number;
  readonly errnos: readonly ErrnoCount[];
  readonly totalNs: number;
  readonly avgNs: number | null;
  readonly minNs: number | null;
  readonly p50Ns: number | null;
  readonly p90Ns: number | null;
  readonly p95Ns: number | null;
  readonly p99Ns: number | null;
  readonly maxNs: number | null;
  // percentiles (and min) estimated from coarse histograms rather than exact
  readonly estimated: boolean;
  // the worst relative error of its percentiles (0 when it has no calls); sampled: the sampling band included
  readonly percentileError: number;
  // sampled captures only (--sample): the calls timed; the times are then estimates
  readonly timedCalls?: number;
}

// The row of one syscall.
export function latencyRow(s: SyscallAggregate): LatencyRow {
  const d = s.distribution;
  const empty = s.count === 0;
  const q = (quantile: number): number | null => (empty ? null : d.percentile(quantile));
  return {
    name: s.name,
    count: s.count,
    errors: s.errors,
    errnos: s.errnos,
    totalNs: s.totalNs,
    avgNs: empty ? null : s.totalNs / s.count,
    minNs: s.minNs,
    p50Ns: q(ROW_QUANTILES.p50Ns),
    p90Ns: q(ROW_QUANTILES.p90Ns),
    p95Ns: q(ROW_QUANTILES.p95Ns),
    p99Ns: q(ROW_QUANTILES.p99Ns),
    maxNs: s.maxNs,
    estimated: !empty && !d.exact,
    percentileError: empty ? 0 : d.relativeError,
    ...(s.timedCalls === undefined ? {} : { timedCalls: s.timedCalls }),
  };
}

// Rows of the syscalls with calls, in the aggregate's order (total time descending).
export function latencyRows(aggregate: Aggregate): LatencyRow[] {
  return aggregate.syscalls.filter((s) => s.count > 0).map(latencyRow);
}
