import { describe, expect, it } from 'vitest';
import type { BucketTable } from '../../../src/core/analysis/buckets.js';
import { bar, histogramBars, percentText } from '../../../src/presentation/render/histogram-bars.js';

const table = (counts: Array<[number | null, number | null, number]>): BucketTable => {
  const total = counts.reduce((n, [, , c]) => n + c, 0);
  return { total, estimated: false, buckets: counts.map(([lowNs, highNs, count]) => ({ lowNs, highNs, count, share: total ? count / total : 0 })) };
};

describe('bar', () => {
  it.each<[number, number, number, string]>([
    [0.5, 0.5, 10, '██████████'],
    [0.25, 0.5, 10, '█████'],
    [0.05, 0.5, 10, '█'],
    [0.06, 0.5, 10, '█▎'],
    [0.0001, 0.5, 10, '▏'],
    [0, 0.5, 10, ''],
    [0, 0, 10, ''],
  ])('share %s of max %s in %s columns', (share, max, width, text) => {
    expect(bar(share, max, width)).toBe(text);
  });
});

describe('histogramBars', () => {
  it('right-aligns labels, scales bars to the largest bucket and fits the width', () => {
    const lines = histogramBars(
      table([
        [null, 10_000, 600],
        [10_000, 1_000_000, 300],
        [1_000_000, null, 100],
      ]),
      40,
    );
    expect(lines).toEqual([
      '   < 10 µs  █████████████████████  60.0%',
      '10 µs-1 ms  ██████████▌            30.0%',
      '    > 1 ms  ███▌                   10.0%',
    ]);
    for (const l of lines) expect(l.length).toBe(40);
  });

  it('never narrows bars below 10 columns', () => {
    const [line] = histogramBars(table([[null, 10, 1]]), 5);
    expect(line).toBe('< 10 ns  ██████████  100.0%');
  });

  it('is empty for no calls', () => {
    expect(histogramBars(table([[null, 10, 0]]), 80)).toEqual([]);
    expect(histogramBars({ total: 0, estimated: false, buckets: [] }, 80)).toEqual([]);
  });

  it.each<[number, number, string]>([
    [0, 0, '0.0%'],
    [1, 0.0001, '<0.1%'],
    [5, 0.342, '34.2%'],
  ])('percentText(%s, %s) = %s', (count, share, text) => {
    expect(percentText(count, share)).toBe(text);
  });
});
