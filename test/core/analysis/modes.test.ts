import { describe, expect, it } from 'vitest';
import { EMPTY_DISTRIBUTION, histogramDistribution } from '../../../src/core/analysis/distribution.js';
import { findModes } from '../../../src/core/analysis/modes.js';
import { LatencyHistogram } from '../../../src/core/model/histogram.js';
import { standardLayout } from '../../../src/core/model/histogram-layout.js';
import { aggregateOf, callsOf, logNormal } from '../../helpers/offline.js';

async function distributionOf(values: readonly number[]) {
  const agg = await aggregateOf(callsOf('read', values));
  return agg.syscalls[0]!.distribution;
}

// [case, latencies, expected shares of the modes (rounded to whole percent)]
const CASES: Array<[string, number[], number[]]> = [
  ['unimodal (cached reads)', logNormal(10_000, 20_000, 0.6, 1), [100]],
  ['unimodal, wide', logNormal(10_000, 50_000, 1.2, 2), [100]],
  ['bimodal: cached reads + disk reads', [...logNormal(9_500, 20_000, 0.5, 3), ...logNormal(500, 3_000_000, 0.5, 4)], [95, 5]],
  ['bimodal, even', [...logNormal(5_000, 1_000, 0.3, 5), ...logNormal(5_000, 100_000, 0.3, 6)], [50, 50]],
  [
    'trimodal',
    [...logNormal(6_000, 2_000, 0.3, 7), ...logNormal(3_000, 200_000, 0.3, 8), ...logNormal(1_000, 20_000_000, 0.3, 9)],
    [60, 30, 10],
  ],
  ['tiny second cluster below 3%: not bimodal', [...logNormal(9_800, 20_000, 0.5, 10), ...logNormal(200, 5_000_000, 0.3, 11)], [100]],
  ['two clusters too close to separate', [...logNormal(5_000, 10_000, 0.4, 12), ...logNormal(5_000, 14_000, 0.4, 13)], [100]],
  ['fewer than 20 calls', [...Array(8).fill(1_000), ...Array(8).fill(1_000_000)], [100]],
  ['single value', Array(100).fill(4_096), [100]],
];

describe('findModes', () => {
  it.each(CASES)('%s', async (_name, values, shares) => {
    const result = findModes(await distributionOf(values));
    expect(result.modes.map((m) => Math.round(m.share * 100))).toEqual(shares);
    expect(result.multimodal).toBe(shares.length >= 2);
    expect(result.modes.reduce((n, m) => n + m.count, 0)).toBe(values.length);
  });

  it('gives each mode its range and peak', async () => {
    const values = [...logNormal(9_500, 20_000, 0.3, 3), ...logNormal(500, 3_000_000, 0.3, 4)];
    const [fast, slow] = findModes(await distributionOf(values)).modes;
    expect(fast!.lowNs).toBeGreaterThan(5_000);
    expect(fast!.highNs).toBeLessThan(100_000);
    expect(fast!.peakNs).toBeGreaterThan(14_000);
    expect(fast!.peakNs).toBeLessThan(28_000);
    expect(slow!.lowNs).toBeGreaterThan(1_000_000);
    expect(slow!.highNs).toBeLessThan(10_000_000);
  });

  it('finds the same modes in an estimated in-kernel histogram', () => {
    const h = new LatencyHistogram(standardLayout(3));
    const values = [...logNormal(9_500, 20_000, 0.5, 3), ...logNormal(500, 3_000_000, 0.5, 4)];
    for (const v of values) h.addValue(v);
    const result = findModes(histogramDistribution(h, Math.max(...values)));
    expect(result.modes.map((m) => Math.round(m.share * 100))).toEqual([95, 5]);
  });

  it('has no modes for an empty distribution', () => {
    expect(findModes(EMPTY_DISTRIBUTION)).toEqual({ modes: [], multimodal: false });
  });
});
