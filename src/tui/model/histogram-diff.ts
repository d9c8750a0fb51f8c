// The calls of one interval from two cumulative in-kernel histograms.
import { LatencyHistogram } from '../../model/histogram.js';
import { bucketBounds, sameLayout } from '../../model/histogram-layout.js';

// cur minus prev bucket by bucket (a bucket that shrank counts 0: a reset);
// prev null or of another layout: cur itself.
export function diffHistogram(cur: LatencyHistogram, prev: LatencyHistogram | null): LatencyHistogram {
  if (prev === null || !sameLayout(cur.layout, prev.layout)) return cur.clone();
  const before = new Map(prev.buckets());
  const out = new LatencyHistogram(cur.layout);
  for (const [index, count] of cur.buckets()) {
    const d = count - (before.get(index) ?? 0);
    if (d > 0) out.addToBucket(index, d);
  }
  return out;
}

// The largest latency of an interval: the new cumulative maximum when it rose
// in this interval, else the top of the highest non-empty interval bucket
// (bounded by the cumulative maximum); 0 for an empty interval.
export function intervalMaxNs(diff: LatencyHistogram, curMaxNs: number, prevMaxNs: number | null): number {
  if (diff.total === 0) return 0;
  if (prevMaxNs === null || curMaxNs > prevMaxNs) return curMaxNs;
  const buckets = diff.buckets();
  const [index] = buckets[buckets.length - 1]!;
  const { lowNs, highNs } = bucketBounds(diff.layout, index);
  const top = Number.isFinite(highNs) ? highNs - 1 : curMaxNs;
  return Math.max(lowNs, Math.min(top, curMaxNs));
}
