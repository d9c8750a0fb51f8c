import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../src/core/model/histogram.js';
import { standardLayout } from '../../../src/core/model/histogram-layout.js';
import { log2BarLines, log2Buckets, mergePairs } from '../../../src/presentation/tui/model/log2-bars.js';

function histogramOf(values: readonly number[]): LatencyHistogram {
  const h = new LatencyHistogram(standardLayout(3));
  for (const v of values) h.addValue(v);
  return h;
}

describe('log2 bars', () => {
  it('is empty for an empty histogram', () => {
    expect(log2BarLines(histogramOf([]), 80)).toEqual([]);
  });

  it('shows a run of empty buckets as one line, a single empty bucket as itself', () => {
    const lines = log2BarLines(histogramOf([300, 1200, 100_000]), 60);
    // 256-512 ns, 512 ns-1 µs (empty, alone: kept), 1-2 µs, 2-65 µs (empty: one line), 65-131 µs
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/512 ns-1\.02 µs\s+0\s+0\.0%/);
    expect(lines[3]).toMatch(/⋮ {2}no calls in 2\.05-65\.5 µs/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('merges neighbours until the chart fits, keeping every call and the whole range', () => {
    const values = Array.from({ length: 20 }, (_, i) => 2 ** (8 + i) + 1);
    const lines = log2BarLines(histogramOf(values), 80, 6);
    expect(lines.length).toBeLessThanOrEqual(6);
    expect(lines[0]).toMatch(/^\s*256 ns/);
    expect(lines.at(-1)).toMatch(/268 ms/);
    const counts = lines.map((l) => Number(/\s(\d+)\s+[\d.<]+%$/.exec(l)![1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it('merges pairs of buckets into buckets twice as wide', () => {
    const buckets = log2Buckets(histogramOf([300, 600, 1200]));
    expect(mergePairs(buckets)).toEqual([
      { lowNs: 256, highNs: 1024, count: 2 },
      { lowNs: 1024, highNs: 2048, count: 1 },
    ]);
  });
});
