// The exported latency buckets: our in-kernel log-linear histograms folded to
// powers of two of nanoseconds, which are bucket edges in every layout we use
// (fine and coarse), so the fold is exact: nothing is split or interpolated.
import type { LatencyHistogram } from '../../core/model/histogram.js';
import { bucketBounds } from '../../core/model/histogram-layout.js';

// Smallest and largest exported bound: 2^8 ns (256 ns) and 2^34 ns (about 17.2 s).
export const MIN_BOUND_POW = 8;
export const MAX_BOUND_POW = 34;

// The finite upper bounds in nanoseconds, ascending; a bucket counts calls
// shorter than its bound (one more bucket, +Inf, holds the rest).
export const BOUNDS_NS: readonly number[] = Array.from({ length: MAX_BOUND_POW - MIN_BOUND_POW + 1 }, (_, i) => 2 ** (MIN_BOUND_POW + i));

// The same bounds in seconds, as Prometheus `le` and OTLP explicit bounds carry them.
export const BOUNDS_SECONDS: readonly number[] = BOUNDS_NS.map((ns) => ns / 1e9);

// Per-bucket (not cumulative) counts of a histogram in the exported buckets:
// BOUNDS_NS.length + 1 entries, the last one for +Inf.
export function foldHistogram(histogram: LatencyHistogram): number[] {
  const out = new Array<number>(BOUNDS_NS.length + 1).fill(0);
  for (const [index, count] of histogram.buckets()) {
    const { highNs } = bucketBounds(histogram.layout, index);
    out[exportBucketOf(highNs)]! += count;
  }
  return out;
}

// The exported bucket holding a source bucket that ends (exclusively) at highNs.
function exportBucketOf(highNs: number): number {
  if (!Number.isFinite(highNs)) return BOUNDS_NS.length;
  // first bound >= highNs: every value of the source bucket is below it
  let lo = 0;
  let hi = BOUNDS_NS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (BOUNDS_NS[mid]! >= highNs) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// Cumulative counts from per-bucket counts (what `le` buckets carry).
export function cumulative(counts: readonly number[]): number[] {
  let run = 0;
  return counts.map((c) => (run += c));
}
