// One row of the live table (a syscall, process, category, thread or file over
// one interval) and how its latency figures are computed on demand.
import { LatencyHistogram } from '../../../core/model/histogram.js';
import { isWaitingRow, workingShare } from './waits.js';

// Latency figures of a row's calls in the interval; null when it had none.
export interface RowLatency {
  readonly avgNs: number | null;
  readonly p50Ns: number | null;
  readonly p99Ns: number | null;
  readonly maxNs: number | null;
  // the interval's calls; null when the row has no histogram
  readonly histogram: LatencyHistogram | null;
}

// A row of any view; latency() is computed on first use and remembered (only
// the rows on screen, or sorted by a latency column, pay for it).
export interface LiveRow {
  // unique within its view ("read", "pid 42", "disk-read", "tid 42/43", a path)
  readonly key: string;
  readonly label: string;
  // the syscall a row is about (syscall view), for its findings
  readonly syscall: string | null;
  readonly calls: number;
  readonly errors: number;
  readonly totalNs: number;
  // of totalNs, the time in waiting calls (epoll_wait, futex, sleeps...)
  readonly waitNs: number;
  // every call of the row waited: shown apart, out of %TIME (see waits.ts)
  readonly waiting: boolean;
  readonly callsPerSec: number;
  readonly errorsPerSec: number;
  // of all traced time in the interval, 0..1
  readonly share: number;
  // its working time (totalNs - waitNs) of the interval's working time, 0..1; null for a waiting row
  readonly workShare: number | null;
  // a process that was there the interval before and is gone now
  readonly gone: boolean;
  latency(): RowLatency;
}

// The plain counts a row is made of.
export interface RowCounts {
  readonly key: string;
  readonly label: string;
  readonly syscall: string | null;
  readonly calls: number;
  readonly errors: number;
  readonly totalNs: number;
  // of calls and totalNs, the waiting calls and their time (default 0)
  readonly waitCalls?: number;
  readonly waitNs?: number;
  readonly gone?: boolean;
}

// A row from counts, the interval length and the traced time of the interval
// (all of it, and its working part: without waiting calls; the same when
// not given); `detail` yields the interval histogram and maximum when asked.
export function liveRow(
  counts: RowCounts,
  intervalNs: number,
  tracedNs: number,
  detail: () => { readonly histogram: LatencyHistogram | null; readonly maxNs: number },
  workingNs: number = tracedNs,
): LiveRow {
  const perSec = intervalNs > 0 ? 1e9 / intervalNs : 0;
  const waitNs = counts.waitNs ?? 0;
  const waiting = isWaitingRow(counts.calls, counts.waitCalls ?? 0);
  let cached: RowLatency | null = null;
  return {
    key: counts.key,
    label: counts.label,
    syscall: counts.syscall,
    calls: counts.calls,
    errors: counts.errors,
    totalNs: counts.totalNs,
    waitNs,
    waiting,
    callsPerSec: counts.calls * perSec,
    errorsPerSec: counts.errors * perSec,
    share: tracedNs > 0 ? counts.totalNs / tracedNs : 0,
    workShare: workingShare(counts.totalNs, waitNs, waiting, workingNs),
    gone: counts.gone ?? false,
    latency() {
      cached ??= latencyOf(counts, detail);
      return cached;
    },
  };
}

function latencyOf(counts: RowCounts, detail: () => { readonly histogram: LatencyHistogram | null; readonly maxNs: number }): RowLatency {
  if (counts.calls === 0) return { avgNs: null, p50Ns: null, p99Ns: null, maxNs: null, histogram: null };
  const { histogram, maxNs } = detail();
  const has = histogram !== null && histogram.total > 0;
  return {
    avgNs: counts.totalNs / counts.calls,
    p50Ns: has ? histogram.percentile(0.5, maxNs) : null,
    p99Ns: has ? histogram.percentile(0.99, maxNs) : null,
    maxNs,
    histogram,
  };
}

// Several histograms of one layout added up (null when there are none).
export function mergeHistograms(histograms: readonly LatencyHistogram[]): LatencyHistogram | null {
  const first = histograms[0];
  if (first === undefined) return null;
  const out = new LatencyHistogram(first.layout);
  for (const h of histograms) if (h.layout.subBits === out.layout.subBits && h.layout.buckets === out.layout.buckets) out.merge(h);
  return out;
}
