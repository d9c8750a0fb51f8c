import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../src/core/model/histogram.js';
import { standardLayout } from '../../../src/core/model/histogram-layout.js';
import { seededRandom } from '../../helpers/random.js';

const FINE = standardLayout(3);
const COARSE = standardLayout(2);

function histogramOf(values: readonly number[], layout = FINE): LatencyHistogram {
  const h = new LatencyHistogram(layout);
  for (const v of values) h.addValue(v);
  return h;
}

// nearest-rank percentile of the raw values
function exactPercentile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

describe('LatencyHistogram.percentile', () => {
  it('is exact for values below 2^subBits', () => {
    const h = histogramOf([1, 2, 3, 4, 5]);
    expect(h.percentile(0.5)).toBe(3);
    expect(h.percentile(1)).toBe(5);
    expect(h.percentile(0.01)).toBe(1);
  });

  it('interpolates linearly inside a bucket', () => {
    // 64..71 all fall into the fine bucket [64, 72)
    const h = histogramOf([64, 65, 66, 67, 68, 69, 70, 71]);
    expect(h.buckets()).toEqual([[32, 8]]); // 8 + (6 - 3) * 8
    expect(h.percentile(0.5)).toBe(68); // 64 + 7 * 4/8 = 67.5
    expect(h.percentile(0.125)).toBe(65); // 64 + 7 * 1/8
    expect(h.percentile(1)).toBe(71);
  });

  it('uses maxNs to bound the open last bucket and the result', () => {
    const h = histogramOf([2 ** 45, 2 ** 46]);
    expect(h.percentile(1)).toBe(2 ** 44 - 2 ** 40); // no max: the bucket's lower bound
    expect(h.percentile(1, 2 ** 46)).toBe(2 ** 46);
    expect(histogramOf([100, 200]).percentile(1, 150)).toBe(150);
  });

  it('returns null when empty and rejects bad quantiles', () => {
    expect(new LatencyHistogram(FINE).percentile(0.5)).toBeNull();
    expect(() => histogramOf([1]).percentile(0)).toThrow(RangeError);
    expect(() => histogramOf([1]).percentile(1.5)).toThrow(RangeError);
  });

  const distributions: Array<[string, (r: () => number) => number]> = [
    ['log-uniform 1 ns .. 10 s', (r) => Math.floor(10 ** (r() * 10))],
    ['uniform 1-2 µs', (r) => 1000 + Math.floor(r() * 1000)],
    ['bimodal 20 µs / 5 ms', (r) => (r() < 0.9 ? 20_000 + Math.floor(r() * 5000) : 5_000_000 + Math.floor(r() * 3_000_000))],
    ['tiny 0-20 ns', (r) => Math.floor(r() * 20)],
  ];
  const quantiles = [0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1];

  describe.each([
    ['fine', FINE, 0.125],
    ['coarse', COARSE, 0.25],
  ])('error bound, %s layout', (_name, layout, bound) => {
    it.each(distributions)('%s: within the bound of the exact percentile', (_d, draw) => {
      for (const [seed, n] of [
        [1, 10],
        [2, 1000],
        [3, 20_000],
      ] as const) {
        const r = seededRandom(seed);
        const values = Array.from({ length: n }, () => draw(r));
        const sorted = [...values].sort((a, b) => a - b);
        const h = histogramOf(values, layout);
        for (const q of quantiles) {
          const exact = exactPercentile(sorted, q);
          const estimate = h.percentile(q, sorted[sorted.length - 1])!;
          const error = exact === 0 ? estimate : Math.abs(estimate - exact) / exact;
          expect(error, `q=${q} n=${n} exact=${exact} estimate=${estimate}`).toBeLessThanOrEqual(bound);
        }
      }
    });
  });
});

describe('LatencyHistogram counts', () => {
  it('merge equals the histogram of all values', () => {
    const a = [1, 50, 900, 12_345, 7_000_000];
    const b = [3, 50, 1_000_000_000];
    const merged = histogramOf(a).merge(histogramOf(b));
    expect(merged.buckets()).toEqual(histogramOf([...a, ...b]).buckets());
    expect(merged.total).toBe(8);
  });

  it('refuses to merge different layouts', () => {
    expect(() => histogramOf([1]).merge(histogramOf([1], COARSE))).toThrow(/different layouts/);
  });

  it('clone does not share counts', () => {
    const h = histogramOf([10]);
    const c = h.clone();
    c.addValue(10, 4);
    expect(h.total).toBe(1);
    expect(c.total).toBe(5);
  });

  it('fromBuckets validates indexes and counts', () => {
    expect(LatencyHistogram.fromBuckets(FINE, [[335, 2], [0, 1]]).buckets()).toEqual([[0, 1], [335, 2]]);
    expect(() => LatencyHistogram.fromBuckets(FINE, [[336, 1]])).toThrow(/outside 0..335/);
    expect(() => LatencyHistogram.fromBuckets(FINE, [[1, -1]])).toThrow(/bad bucket count/);
    expect(() => LatencyHistogram.fromBuckets(FINE, [[1, 0.5]])).toThrow(/bad bucket count/);
  });

  it('fromColumns keeps sorted columns, sorts and sums the rest, and validates', () => {
    const indexes = [2, 40, 100];
    const counts = [1, 5, 2];
    const h = LatencyHistogram.fromColumns(FINE, indexes, counts);
    expect(h.buckets()).toEqual([[2, 1], [40, 5], [100, 2]]);
    expect(h.total).toBe(8);
    expect(h.percentile(1)).toBe(LatencyHistogram.fromBuckets(FINE, [[2, 1], [40, 5], [100, 2]]).percentile(1));
    // out of order, repeated, zero: what fromBuckets makes of the same pairs
    expect(LatencyHistogram.fromColumns(FINE, [9, 3, 9, 4], [1, 2, 3, 0]).buckets()).toEqual([[3, 2], [9, 4]]);
    expect(() => LatencyHistogram.fromColumns(FINE, [1, 336], [1, 1])).toThrow(/outside 0..335/);
    expect(() => LatencyHistogram.fromColumns(FINE, [1], [-1])).toThrow(/bad bucket count/);
    expect(() => LatencyHistogram.fromColumns(FINE, [1, 2], [1])).toThrow(/2 bucket indexes but 1 counts/);
  });

  it('never changes the columns it was made from, nor what a clone shares', () => {
    const indexes = [2, 40];
    const counts = [1, 5];
    const h = LatencyHistogram.fromColumns(FINE, indexes, counts);
    const c = h.clone();
    h.addToBucket(40, 10);
    h.addToBucket(7, 1);
    expect(indexes).toEqual([2, 40]);
    expect(counts).toEqual([1, 5]);
    expect(c.buckets()).toEqual([[2, 1], [40, 5]]);
    expect(h.buckets()).toEqual([[2, 1], [7, 1], [40, 15]]);
    // read, changed, read again: the buckets follow
    h.addToBucket(2, 1);
    expect(h.buckets()).toEqual([[2, 2], [7, 1], [40, 15]]);
    expect(h.total).toBe(18);
    c.merge(h);
    expect(c.buckets()).toEqual([[2, 3], [7, 1], [40, 20]]);
  });

  it('ignores zero counts and rejects bad layouts', () => {
    expect(LatencyHistogram.fromBuckets(FINE, [[3, 0]]).buckets()).toEqual([]);
    expect(() => new LatencyHistogram({ subBits: 3, buckets: 4 })).toThrow(RangeError);
  });
});
