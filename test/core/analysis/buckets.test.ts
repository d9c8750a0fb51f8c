import { describe, expect, it } from 'vitest';
import { aggregateEvents } from '../../../src/core/analysis/aggregate-events.js';
import { aggregateProfile } from '../../../src/core/analysis/aggregate-profile.js';
import { bucketTable, countBetween, log2Edges, type BucketSpec } from '../../../src/core/analysis/buckets.js';
import { batchesOf } from '../../../src/core/model/events.js';
import { aggregateOf, callsOf } from '../../helpers/offline.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

const VALUES = [1_000, 9_999, 10_000, 20_000, 60_000, 200_000, 700_000, 2_000_000, 3_000_000, 50_000_000];

describe('bucketTable', () => {
  it.each<[string, BucketSpec, Array<[number | null, number | null, number]>]>([
    [
      'default',
      { kind: 'default' },
      [
        [null, 10_000, 2],
        [10_000, 50_000, 2],
        [50_000, 100_000, 1],
        [100_000, 500_000, 1],
        [500_000, 1_000_000, 1],
        [1_000_000, 10_000_000, 2],
        [10_000_000, null, 1],
      ],
    ],
    [
      'custom edges',
      { kind: 'edges', edgesNs: [10_000, 1_000_000] },
      [
        [null, 10_000, 2],
        [10_000, 1_000_000, 5],
        [1_000_000, null, 3],
      ],
    ],
  ])('%s', async (_name, spec, expected) => {
    const edgesNs = spec.kind === 'edges' ? spec.edgesNs : undefined;
    const agg = await aggregateEvents(batchesOf(callsOf('read', VALUES)), edgesNs === undefined ? {} : { edgesNs });
    const table = bucketTable(agg.syscalls[0]!, spec);
    expect(table.estimated).toBe(false);
    expect(table.total).toBe(10);
    expect(table.buckets.map((b) => [b.lowNs, b.highNs, b.count])).toEqual(expected);
    expect(table.buckets.map((b) => b.share)).toEqual(expected.map(([, , n]) => n / 10));
  });

  it('counts log2 buckets exactly over the non-empty span only', async () => {
    const agg = await aggregateOf(callsOf('read', [3, 4, 7, 8, 100, 5000, 5000]));
    const table = bucketTable(agg.syscalls[0]!, { kind: 'log2' });
    expect(table.estimated).toBe(false);
    expect(table.buckets.map((b) => [b.lowNs, b.highNs, b.count])).toEqual([
      [2, 4, 1],
      [4, 8, 2],
      [8, 16, 1],
      [16, 32, 0],
      [32, 64, 0],
      [64, 128, 1],
      [128, 256, 0],
      [256, 512, 0],
      [512, 1024, 0],
      [1024, 2048, 0],
      [2048, 4096, 0],
      [4096, 8192, 2],
    ]);
  });

  it('exact at powers of two beyond the histogram’s unit resolution', async () => {
    const agg = await aggregateOf(callsOf('read', [2 ** 20 - 1, 2 ** 20, 2 ** 30 - 1, 2 ** 30]));
    const table = bucketTable(agg.syscalls[0]!, { kind: 'log2' });
    const nonEmpty = table.buckets.filter((b) => b.count > 0).map((b) => [b.lowNs, b.count]);
    expect(nonEmpty).toEqual([
      [2 ** 19, 1],
      [2 ** 20, 1],
      [2 ** 29, 1],
      [2 ** 30, 1],
    ]);
  });

  it('keeps a "< 1 ns" bucket for calls timed at 0', async () => {
    const agg = await aggregateOf(callsOf('read', [0, 1]));
    const table = bucketTable(agg.syscalls[0]!, { kind: 'log2' });
    expect(table.buckets.map((b) => [b.lowNs, b.highNs, b.count])).toEqual([
      [null, 1, 1],
      [1, 2, 1],
    ]);
  });

  it('splits estimated histogram buckets that straddle an edge, and says so', () => {
    const agg = aggregateProfile(profileOf({ syscalls: [statsOf('read', 0, [9_500, 9_600, 10_400, 200_000])] }));
    const table = bucketTable(agg.syscalls[0]!, { kind: 'default' });
    expect(table.estimated).toBe(true);
    expect(table.buckets.reduce((n, b) => n + b.count, 0)).toBeCloseTo(4, 9);
    expect(table.buckets[0]!.count + table.buckets[1]!.count).toBeCloseTo(3, 9);
    expect(table.buckets[3]!.count).toBeCloseTo(1, 9);
  });

  it('gives zero counts and shares for a syscall without calls', () => {
    const agg = aggregateProfile(profileOf({ syscalls: [statsOf('read', 0, [])] }));
    expect(bucketTable(agg.syscalls[0]!, { kind: 'default' }).buckets.every((b) => b.count === 0 && b.share === 0)).toBe(true);
    expect(bucketTable(agg.syscalls[0]!, { kind: 'log2' }).buckets).toEqual([]);
  });
});

describe('countBetween', () => {
  it.each<[string, Array<[number, number, number]>, number[], number[]]>([
    ['no ranges', [], [10], [0, 0]],
    ['no edges', [[1, 5, 3]], [], [3]],
    ['a range below, at and above an edge', [[1, 1, 1], [10, 10, 2], [11, 20, 4]], [10], [1, 6]],
    ['a range straddling an edge, split by integers', [[8, 11, 4]], [10], [2, 2]],
    ['a range straddling two edges', [[0, 9, 10]], [3, 6], [3, 3, 4]],
  ])('%s', (_name, ranges, edges, counts) => {
    expect(countBetween(ranges.map(([lowNs, highNs, count]) => ({ lowNs, highNs, count })), edges).counts).toEqual(counts);
  });
});

describe('log2Edges', () => {
  it.each<[number | null, number | null, number[]]>([
    [null, null, []],
    [1, 1, [1, 2]],
    [3, 9, [2, 4, 8, 16]],
    [0, 0, [1, 2]],
  ])('min %s max %s', (min, max, edges) => {
    expect(log2Edges(min, max)).toEqual(edges);
  });
});
