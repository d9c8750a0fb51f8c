// Reference values: scipy 1.17.1 on this machine,
//   scipy.stats.mannwhitneyu(after, before, method='asymptotic')  (two-sided,
//     tie-corrected normal approximation with continuity correction),
//   scipy.stats.betabinom(n2, n1 - k + 1, k).sf(x - 1) / .cdf(x)   (the exceedance count),
//   2 * scipy.stats.norm.sf(z);
// except the large exceedance tail, where scipy's betabinom is off by 1.5e-5
// (relative): summed from the exact formula with mpmath at 40 digits.
import { describe, expect, it } from 'vitest';
import type { ValueRange } from '../../../src/core/analysis/distribution.js';
import { exceedanceTail, exceedanceTest, mannWhitney, normalTwoSided, tieGroups } from '../../../src/core/analysis/latency-tests.js';

// Exact latencies as ranges of one value each.
function ranges(values: readonly number[]): ValueRange[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, count]) => ({ lowNs: v, highNs: v, count }));
}

const times = (n: number, v: number): number[] => Array<number>(n).fill(v);

describe('normalTwoSided', () => {
  it.each([
    [1.96, 0.04999579029644087],
    [5, 5.733031437583866e-7],
    [0, 1],
  ])('P(|Z| >= %s) = %s', (z, p) => {
    expect(normalTwoSided(z)).toBeCloseTo(p, 7);
    expect(Math.abs(normalTwoSided(z) - p) / p).toBeLessThan(2e-7);
  });
});

describe('tieGroups', () => {
  it('merges overlapping ranges of the two sides into groups of ties, lowest first', () => {
    const before: ValueRange[] = [
      { lowNs: 100, highNs: 199, count: 3 },
      { lowNs: 400, highNs: 400, count: 1 },
    ];
    const after: ValueRange[] = [
      { lowNs: 150, highNs: 150, count: 2 },
      { lowNs: 200, highNs: 220, count: 5 },
      { lowNs: 0, highNs: 0, count: 0 },
    ];
    expect(tieGroups(before, after)).toEqual([
      { lowNs: 100, highNs: 199, before: 3, after: 2 },
      { lowNs: 200, highNs: 220, before: 0, after: 5 },
      { lowNs: 400, highNs: 400, before: 1, after: 0 },
    ]);
  });
});

describe('mannWhitney', () => {
  it.each([
    ['separated samples', [1, 2, 3, 4, 5], [6, 7, 8, 9, 10], 25, 0.012185780355344813],
    ['overlapping samples', [20, 11, 17, 12], [19, 22, 16, 29, 24], 17, 0.11134688653314041],
    ['ties', [1, 1, 2, 2, 2, 3, 4, 4, 5, 7], [2, 3, 3, 4, 5, 5, 6, 6, 7, 8, 8], 86, 0.0303028984866852],
    ['few distinct values', [...times(5, 10), ...times(5, 20)], [...times(2, 10), ...times(3, 20), ...times(5, 30)], 77.5, 0.02954824075106704],
  ])('matches scipy on %s', (_, before, after, u, p) => {
    const r = mannWhitney(tieGroups(ranges(before), ranges(after)))!;
    expect(r.u).toBe(u);
    expect(r.pValue).toBeCloseTo(p, 6);
    expect(r.superiority).toBeCloseTo(u / (before.length * after.length), 12);
  });

  it('gives the same answer with the sides swapped, pointing the other way', () => {
    const a = mannWhitney(tieGroups(ranges([1, 2, 3, 4, 5]), ranges([6, 7, 8, 9, 10])))!;
    const b = mannWhitney(tieGroups(ranges([6, 7, 8, 9, 10]), ranges([1, 2, 3, 4, 5])))!;
    expect(b.pValue).toBeCloseTo(a.pValue, 12);
    expect([a.z > 0, b.z < 0, a.superiority, b.superiority]).toEqual([true, true, 1, 0]);
  });

  it('says nothing when every call is tied or a side is empty', () => {
    expect(mannWhitney(tieGroups(ranges(times(50, 7)), ranges(times(80, 7))))).toMatchObject({ pValue: 1, z: 0, superiority: 0.5 });
    expect(mannWhitney(tieGroups([], ranges([1, 2])))).toBeNull();
  });
});

describe('exceedanceTail', () => {
  it.each([
    [200, 198, 200, 3, 'upper', 0.4999999999999525],
    [200, 198, 200, 10, 'upper', 0.017889954933937968],
    [200, 198, 200, 0, 'lower', 0.12406015037595587],
    [200, 198, 200, 3, 'lower', 0.6574337271615045],
    [1000, 990, 2000, 40, 'upper', 0.02744698314544558],
    [10, 10, 10, 0, 'lower', 0.5000000000000002],
    [100_000, 99_000, 100_000, 1200, 'upper', 9.819753401148290e-6],
    [100_000, 99_000, 100_000, 1200, 'lower', 0.9999910446527781],
  ] as const)('n1=%s k=%s n2=%s, x=%s: the %s tail', (n1, k, n2, x, tail, p) => {
    const got = exceedanceTail(n1, k, n2, x, tail);
    expect(Math.abs(got - p) / p).toBeLessThan(1e-6);
  });

  it('is 1 and 0 at and past the ends', () => {
    expect([exceedanceTail(100, 99, 50, 0, 'upper'), exceedanceTail(100, 99, 50, 51, 'upper'), exceedanceTail(100, 99, 50, 50, 'lower'), exceedanceTail(100, 99, 50, -1, 'lower')]).toEqual([1, 0, 1, 0]);
  });
});

describe('exceedanceTest', () => {
  it("counts after's calls above before's p99 against the 1% expected", () => {
    // before: 1..200 (p99 = 198); after: the same plus 10 calls at 1000
    const before = Array.from({ length: 200 }, (_, i) => i + 1);
    const r = exceedanceTest(tieGroups(ranges(before), ranges([...before.slice(0, 190), ...times(10, 1000)])))!;
    expect(r).toMatchObject({ test: 'exceedance', thresholdLowNs: 198, beforeCalls: 200, afterCalls: 200, afterAbove: 10, afterAtOrAbove: 10 });
    expect(r.expectedAbove).toBeCloseTo(2.985, 3);
    expect(r.pValue).toBeCloseTo(2 * 0.017889954933937968, 9);
  });

  it('counts calls tied with the p99 against the test both ways', () => {
    // before's p99 falls in the bucket [100, 199]; 30 of after's calls are in it too
    const before: ValueRange[] = [{ lowNs: 100, highNs: 199, count: 100 }];
    const after: ValueRange[] = [
      { lowNs: 100, highNs: 199, count: 30 },
      { lowNs: 200, highNs: 299, count: 70 },
    ];
    const r = exceedanceTest(tieGroups(before, after))!;
    expect([r.afterAbove, r.afterAtOrAbove]).toEqual([70, 100]);
    expect(r.pValue).toBeLessThan(1e-6);
    // all in one bucket: nothing can be told
    expect(exceedanceTest(tieGroups(before, [{ lowNs: 100, highNs: 199, count: 100 }]))!.pValue).toBe(1);
  });
});
