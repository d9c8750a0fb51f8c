import { describe, expect, it } from 'vitest';
import { aggregateProfile } from '../../../src/core/analysis/aggregate-profile.js';
import { latencyRow } from '../../../src/core/analysis/latency-rows.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

describe('aggregateProfile', () => {
  const values = Array.from({ length: 100 }, (_, i) => (i + 1) * 1000);
  const profile = profileOf({
    syscalls: [statsOf('read', 0, values, { errors: 3 }), statsOf('fsync', 74, [6_000_000]), statsOf('close', 3, [])],
    processes: [
      { tgid: 7, comm: 'small', syscalls: [statsOf('read', 0, [10])] },
      { tgid: 9, comm: 'big', syscalls: [statsOf('fsync', 74, [5_000_000], { errors: 1 })] },
    ],
  });
  const agg = aggregateProfile(profile);

  it('keeps counts, errors (without errno names), totals and max, sorted by total time', () => {
    expect(agg.source).toBe('profile');
    expect(agg.syscalls.map((s) => s.name)).toEqual(['fsync', 'read', 'close']);
    expect(agg.syscalls[1]).toMatchObject({ name: 'read', count: 100, errors: 3, errnos: [], totalNs: 5_050_000, maxNs: 100_000, edgeCounts: null });
  });

  it('estimates percentiles with the model histogram, within its bucket error', () => {
    const read = agg.syscalls.find((s) => s.name === 'read')!;
    expect(read.distribution.exact).toBe(false);
    expect(read.distribution.relativeError).toBe(0.125);
    const row = latencyRow(read);
    expect(row.estimated).toBe(true);
    expect(row.p50Ns).toBe(profile.syscalls[0]!.histogram.percentile(0.5, 100_000));
    expect(Math.abs(row.p90Ns! - 90_000) / 90_000).toBeLessThanOrEqual(0.125);
    // min is the lower bound of the lowest bucket
    expect(read.minNs).toBeLessThanOrEqual(1000);
    expect(read.minNs).toBeGreaterThan(1000 * 0.875);
  });

  it('gives a syscall without calls no latencies', () => {
    const close = agg.syscalls.find((s) => s.name === 'close')!;
    expect(close).toMatchObject({ count: 0, minNs: null, maxNs: null, categories: [] });
    expect(latencyRow(close)).toMatchObject({ avgNs: null, p50Ns: null, p99Ns: null, estimated: false });
  });

  it('totals processes, has no threads, and takes the duration as the span', () => {
    expect(agg.processes).toEqual([
      { pid: 9, comm: 'big', calls: 1, errors: 1, totalNs: 5_000_000 },
      { pid: 7, comm: 'small', calls: 1, errors: 0, totalNs: 10 },
    ]);
    expect(agg.threads).toEqual([]);
    expect(agg.spanNs).toBe(2_000_000_000);
  });

  it('handles an empty profile of zero duration', () => {
    expect(aggregateProfile(profileOf({ durationNs: 0 }))).toEqual({ source: 'profile', syscalls: [], processes: [], threads: [], spanNs: null });
  });
});

describe('aggregateProfile of a sampled capture (--sample)', () => {
  it('keeps counts exact, widens the percentile error by the sampling band, and shows no latency for untimed syscalls', () => {
    const timed = Array.from({ length: 200 }, (_, i) => 1000 + 50 * i);
    const read = statsOf('read', 0, timed);
    const sampled = profileOf({
      samplePeriod: 16,
      syscalls: [
        { ...read, count: 3200, totalNs: read.totalNs * 16, timedCalls: 200 },
        { ...statsOf('rseq', 334, []), count: 1, timedCalls: 0 },
      ],
    });
    const agg = aggregateProfile(sampled);
    const r = agg.syscalls.find((s) => s.name === 'read')!;
    expect(r.count).toBe(3200);
    expect(r.distribution.count).toBe(200);
    expect(r.distribution.relativeError).toBeGreaterThan(0.125);
    expect(aggregateProfile(profileOf({ syscalls: [read] })).syscalls[0]!.distribution.relativeError).toBe(0.125);
    const rseq = agg.syscalls.find((s) => s.name === 'rseq')!;
    expect([rseq.count, rseq.distribution.count, rseq.maxNs]).toEqual([1, 0, null]);
    expect(rseq.categories.map((c) => c.calls)).toEqual([1]);
  });
});
