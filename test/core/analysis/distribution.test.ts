import { describe, expect, it } from 'vitest';
import { EMPTY_DISTRIBUTION, histogramDistribution, quantileRank } from '../../../src/core/analysis/distribution.js';
import { LatencyHistogram } from '../../../src/core/model/histogram.js';
import { standardLayout } from '../../../src/core/model/histogram-layout.js';

describe('quantileRank', () => {
  it.each<[number, number, number]>([
    [0.5, 100, 50],
    [0.99, 100, 99],
    [0.95, 20, 19],
    [0.9, 10, 9],
    [0.5, 1, 1],
    [1, 7, 7],
    [0.01, 10, 1],
  ])('q %s of %s is rank %s', (q, n, rank) => {
    expect(quantileRank(q, n)).toBe(rank);
  });

  it('rejects quantiles outside (0, 1]', () => {
    expect(() => quantileRank(0, 10)).toThrow(RangeError);
    expect(() => quantileRank(1.5, 10)).toThrow(RangeError);
  });
});

describe('histogramDistribution', () => {
  it('reads ranges from buckets, the open last bucket bounded by the max', () => {
    const layout = standardLayout(3, 4);
    const h = LatencyHistogram.fromBuckets(layout, [
      [3, 2],
      [layout.buckets - 1, 1],
    ]);
    const d = histogramDistribution(h, 100);
    expect(d.exact).toBe(false);
    expect(d.relativeError).toBe(0.125);
    expect(d.ranges()).toEqual([
      { lowNs: 3, highNs: 3, count: 2 },
      { lowNs: 30, highNs: 100, count: 1 },
    ]);
    expect(d.percentile(1)).toBe(100);
  });

  it('has nothing when empty', () => {
    expect(EMPTY_DISTRIBUTION.percentile(0.5)).toBeNull();
    expect(EMPTY_DISTRIBUTION.ranges()).toEqual([]);
    expect(histogramDistribution(new LatencyHistogram(standardLayout(3)), 0).percentile(0.5)).toBeNull();
  });
});
