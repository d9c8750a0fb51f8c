// The calls of one interval from two cumulative in-kernel histograms.
import { LatencyHistogram } from '../../../core/model/histogram.js';
import { bucketBounds, sameLayout } from '../../../core/model/histogram-layout.js';

// cur minus prev bucket by bucket (a bucket that shrank counts 0: a reset);
// prev null or of another layout: cur itself.
export function diffHistogram(cur: LatencyHistogram, prev: LatencyHistogram | null): LatencyHistogram {
  if (prev === null || !sameLayout(cur.layout, prev.layout)) return cur.clone();
  // both lists are sorted by index: one walk
  const before = prev.buckets();
  const indexes: number[] = [];
  const counts: number[] = [];
  let j = 0;
  for (const [index, count] of cur.buckets()) {
    while (j < before.length && before[j]![0] < index) j++;
    const d = count - (j < before.length && before[j]![0] === index ? before[j]![1] : 0);
    if (d > 0) {
      indexes.push(index);
      counts.push(d);
    }
  }
  return LatencyHistogram.fromColumns(cur.layout, indexes, counts);
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
