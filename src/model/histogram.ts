// A latency histogram: a layout plus sparse bucket counts.
import { assertLayout, bucketBounds, bucketIndex, sameLayout, type HistogramLayout } from './histogram-layout.js';

// Counts of latencies per bucket; only non-zero buckets are stored.
export class LatencyHistogram {
  readonly layout: HistogramLayout;
  private readonly counts = new Map<number, number>();
  private sum = 0;

  constructor(layout: HistogramLayout) {
    assertLayout(layout);
    this.layout = { subBits: layout.subBits, buckets: layout.buckets };
  }

  // A histogram from (index, count) pairs; throws RangeError on a bad index or count.
  static fromBuckets(layout: HistogramLayout, entries: Iterable<readonly [number, number]>): LatencyHistogram {
    const h = new LatencyHistogram(layout);
    for (const [index, count] of entries) h.addToBucket(index, count);
    return h;
  }

  // The number of values recorded.
  get total(): number {
    return this.sum;
  }

  // Records `times` occurrences of a latency in nanoseconds.
  addValue(ns: number, times = 1): void {
    this.addToBucket(bucketIndex(this.layout, ns), times);
  }

  // Adds `count` to one bucket.
  addToBucket(index: number, count: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.layout.buckets) {
      throw new RangeError(`bucket index ${index} is outside 0..${this.layout.buckets - 1}`);
    }
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`bad bucket count ${count}`);
    if (count === 0) return;
    this.counts.set(index, (this.counts.get(index) ?? 0) + count);
    this.sum += count;
  }

  // Adds every count of another histogram of the same layout into this one.
  merge(other: LatencyHistogram): this {
    if (!sameLayout(this.layout, other.layout)) {
      throw new RangeError(
        `cannot merge histograms of different layouts (${this.layout.subBits}/${this.layout.buckets} and ${other.layout.subBits}/${other.layout.buckets})`,
      );
    }
    for (const [index, count] of other.counts) this.addToBucket(index, count);
    return this;
  }

  // A copy that does not share counts with this one.
  clone(): LatencyHistogram {
    return new LatencyHistogram(this.layout).merge(this);
  }

  // The non-zero buckets as [index, count], lowest index first.
  buckets(): Array<[number, number]> {
    return [...this.counts].sort((a, b) => a[0] - b[0]);
  }

  // Estimated q-quantile (0 < q <= 1) in ns, or null when empty. The rank
  // ceil(q * total) is located in its bucket and the value interpolated
  // linearly between the bucket's first and last integer, so the estimate is
  // within one bucket width (2^-subBits of the value) of the exact nearest-rank
  // percentile. `maxNs`, the true maximum if known, bounds the last bucket and the result.
  percentile(q: number, maxNs?: number): number | null {
    if (!(q > 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside (0, 1]`);
    if (this.sum === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.sum));
    let before = 0;
    for (const [index, count] of this.buckets()) {
      if (before + count < rank) {
        before += count;
        continue;
      }
      const { lowNs, highNs } = bucketBounds(this.layout, index);
      const top = Number.isFinite(highNs) ? highNs - 1 : Math.max(lowNs, maxNs ?? lowNs);
      const estimate = Math.round(lowNs + ((top - lowNs) * (rank - before)) / count);
      return maxNs === undefined ? estimate : Math.min(estimate, maxNs);
    }
    // unreachable: rank <= sum
    return null;
  }
}
