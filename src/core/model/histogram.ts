// A latency histogram: a layout plus sparse bucket counts.
import { assertLayout, bucketBounds, bucketIndex, sameLayout, type HistogramLayout } from './histogram-layout.js';

// No buckets.
const EMPTY: readonly number[] = Object.freeze([]);

// A bucket and its count.
export type Bucket = readonly [index: number, count: number];

// Layouts already checked, one shared object each (histograms are made by the
// thousand per snapshot: no check or copy each time).
const layouts = new Map<number, HistogramLayout>();

function checkedLayout(layout: HistogramLayout): HistogramLayout {
  const key = layout.subBits * 2 ** 32 + layout.buckets;
  let known = layouts.get(key);
  if (known === undefined) {
    assertLayout(layout);
    known = Object.freeze({ subBits: layout.subBits, buckets: layout.buckets });
    layouts.set(key, known);
  }
  return known;
}

function checkBucket(layout: HistogramLayout, index: number, count: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= layout.buckets) {
    throw new RangeError(`bucket index ${index} is outside 0..${layout.buckets - 1}`);
  }
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`bad bucket count ${count}`);
}

// Counts of latencies per bucket; only non-zero buckets are stored. Kept as two
// sorted columns (bucket indexes, counts: what snapshots carry and readers walk)
// until the first change, then as a map; the columns are rebuilt when read again.
export class LatencyHistogram {
  readonly layout: HistogramLayout;
  private counts: Map<number, number> | null = null;
  // the non-zero buckets, lowest index first; null after a change until read.
  // Never changed in place, so copies may share them.
  private indexes: readonly number[] | null = EMPTY;
  private values: readonly number[] = EMPTY;
  private pairs: Bucket[] | null = null;
  private sum = 0;

  constructor(layout: HistogramLayout) {
    this.layout = checkedLayout(layout);
  }

  // A histogram from (index, count) pairs; throws RangeError on a bad index or count.
  static fromBuckets(layout: HistogramLayout, entries: Iterable<Bucket>): LatencyHistogram {
    const h = new LatencyHistogram(layout);
    for (const [index, count] of entries) h.addToBucket(index, count);
    return h;
  }

  // A histogram from parallel arrays of bucket indexes and counts (a snapshot's
  // form), which it keeps: the caller must not change them afterwards. Throws
  // RangeError on a bad index or count, or arrays of unequal length.
  static fromColumns(layout: HistogramLayout, indexes: readonly number[], counts: readonly number[]): LatencyHistogram {
    if (indexes.length !== counts.length) throw new RangeError(`${indexes.length} bucket indexes but ${counts.length} counts`);
    const h = new LatencyHistogram(layout);
    let sum = 0;
    let last = -1;
    let plain = true;
    for (let i = 0; i < indexes.length; i++) {
      const index = indexes[i]!;
      const count = counts[i]!;
      checkBucket(h.layout, index, count);
      // out of order, repeated or zero: not the stored form
      if (index <= last || count === 0) plain = false;
      last = index;
      sum += count;
    }
    if (!plain) return LatencyHistogram.fromBuckets(layout, indexes.map((x, j) => [x, counts[j]!] as const));
    h.indexes = indexes;
    h.values = counts;
    h.sum = sum;
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
    checkBucket(this.layout, index, count);
    if (count === 0) return;
    const map = this.mutable();
    map.set(index, (map.get(index) ?? 0) + count);
    this.sum += count;
  }

  // Adds every count of another histogram of the same layout into this one.
  merge(other: LatencyHistogram): this {
    if (!sameLayout(this.layout, other.layout)) {
      throw new RangeError(
        `cannot merge histograms of different layouts (${this.layout.subBits}/${this.layout.buckets} and ${other.layout.subBits}/${other.layout.buckets})`,
      );
    }
    other.columns();
    if (this.counts === null) {
      // both sorted: one walk into new columns (the old ones may be shared)
      this.mergeColumns(other.indexes!, other.values);
      this.sum += other.sum;
      return this;
    }
    const indexes = other.indexes!;
    for (let i = 0; i < indexes.length; i++) this.addToBucket(indexes[i]!, other.values[i]!);
    return this;
  }

  // A copy that does not share counts with this one.
  clone(): LatencyHistogram {
    const h = new LatencyHistogram(this.layout);
    this.columns();
    h.indexes = this.indexes;
    h.values = this.values;
    h.sum = this.sum;
    return h;
  }

  // The non-zero buckets as [index, count], lowest index first.
  buckets(): readonly Bucket[] {
    this.columns();
    if (this.pairs === null) {
      const indexes = this.indexes!;
      this.pairs = indexes.map((index, i) => [index, this.values[i]!] as const);
    }
    return this.pairs;
  }

  // The non-zero buckets as two columns, lowest index first (no pair per
  // bucket: for hot loops). Shared with the histogram: never to be changed.
  sortedColumns(): { readonly indexes: readonly number[]; readonly counts: readonly number[] } {
    this.columns();
    return { indexes: this.indexes!, counts: this.values };
  }

  // This histogram's columns plus another pair of sorted columns.
  private mergeColumns(bIndexes: readonly number[], bValues: readonly number[]): void {
    const aIndexes = this.indexes!;
    const aValues = this.values;
    const indexes: number[] = [];
    const values: number[] = [];
    let i = 0;
    let j = 0;
    while (i < aIndexes.length || j < bIndexes.length) {
      const a = i < aIndexes.length ? aIndexes[i]! : Infinity;
      const b = j < bIndexes.length ? bIndexes[j]! : Infinity;
      if (a <= b) {
        indexes.push(a);
        values.push(aValues[i++]! + (a === b ? bValues[j++]! : 0));
      } else {
        indexes.push(b);
        values.push(bValues[j++]!);
      }
    }
    this.indexes = indexes;
    this.values = values;
    this.pairs = null;
  }

  // The sorted columns, rebuilt from the map after a change.
  private columns(): void {
    if (this.indexes !== null) return;
    const indexes = [...this.counts!.keys()].sort((a, b) => a - b);
    this.values = indexes.map((i) => this.counts!.get(i)!);
    this.indexes = indexes;
  }

  // The map form, made on the first change; the columns are stale from then on.
  private mutable(): Map<number, number> {
    if (this.counts === null) {
      this.columns();
      const indexes = this.indexes!;
      this.counts = new Map();
      for (let i = 0; i < indexes.length; i++) this.counts.set(indexes[i]!, this.values[i]!);
    }
    this.indexes = null;
    this.pairs = null;
    return this.counts;
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
    this.columns();
    const indexes = this.indexes!;
    let before = 0;
    for (let i = 0; i < indexes.length; i++) {
      const count = this.values[i]!;
      if (before + count < rank) {
        before += count;
        continue;
      }
      const { lowNs, highNs } = bucketBounds(this.layout, indexes[i]!);
      const top = Number.isFinite(highNs) ? highNs - 1 : Math.max(lowNs, maxNs ?? lowNs);
      const estimate = Math.round(lowNs + ((top - lowNs) * (rank - before)) / count);
      return maxNs === undefined ? estimate : Math.min(estimate, maxNs);
    }
    // unreachable: rank <= sum
    return null;
  }
}
