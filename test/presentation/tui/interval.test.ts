import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../src/core/model/histogram.js';
import { standardLayout } from '../../../src/core/model/histogram-layout.js';
import type { Profile } from '../../../src/core/model/profile.js';
import { diffHistogram, intervalMaxNs } from '../../../src/presentation/tui/model/histogram-diff.js';
import { buildFrame, costShare } from '../../../src/presentation/tui/model/interval.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

const layout = standardLayout(3);
const repeat = (ns: number, n: number): number[] => Array.from({ length: n }, () => ns);

// a running snapshot at t seconds
function snap(seconds: number, overrides: Partial<Profile>): Profile {
  return profileOf({ durationNs: seconds * 1e9, final: false, stopReason: null, ...overrides });
}

describe('diffHistogram', () => {
  it('subtracts bucket by bucket, so interval percentiles are those of the new calls', () => {
    const before = LatencyHistogram.fromBuckets(layout, []);
    before.addValue(1000, 100);
    const after = before.clone();
    after.addValue(1_000_000, 100);
    const d = diffHistogram(after, before);
    expect(d.total).toBe(100);
    // all new calls are at 1 ms: the cumulative median would be 1 µs
    expect(after.percentile(0.5)).toBeLessThan(1100);
    expect(d.percentile(0.5)).toBeGreaterThanOrEqual(1_000_000 * 0.875);
  });

  it('takes cur whole when there is no previous histogram', () => {
    const h = new LatencyHistogram(layout);
    h.addValue(500, 3);
    expect(diffHistogram(h, null).total).toBe(3);
  });

  it('bounds the interval max by the cumulative max when it did not rise', () => {
    const d = new LatencyHistogram(layout);
    d.addValue(1000, 2);
    expect(intervalMaxNs(d, 5_000_000, 5_000_000)).toBeLessThan(1200);
    expect(intervalMaxNs(d, 5_000_000, 4_000_000)).toBe(5_000_000);
    expect(intervalMaxNs(new LatencyHistogram(layout), 10, 10)).toBe(0);
  });
});

describe('buildFrame', () => {
  const p1 = snap(1, { syscalls: [statsOf('read', 0, repeat(1000, 100)), statsOf('fsync', 74, repeat(100_000, 10))] });
  const p2 = snap(3, {
    syscalls: [statsOf('read', 0, [...repeat(1000, 100), ...repeat(2000, 300)], { errors: 4 }), statsOf('fsync', 74, repeat(100_000, 10))],
  });

  it('turns cumulative counts into per-second rates over the interval', () => {
    const f = buildFrame(p1, p2, 2);
    expect(f.intervalNs).toBe(2e9);
    expect(f.calls).toBe(300);
    expect(f.callsPerSec).toBe(150);
    expect(f.errorsPerSec).toBe(2);
    // fsync had no calls in this interval: no row
    expect(f.syscalls.map((r) => r.key)).toEqual(['read']);
    const read = f.syscalls[0]!;
    expect(read.totalNs).toBe(600_000);
    expect(read.latency().avgNs).toBe(2000);
    expect(read.latency().p50Ns).toBeGreaterThanOrEqual(2000 * 0.875);
    expect(read.latency().p50Ns).toBeLessThanOrEqual(2000 * 1.125);
    expect(read.share).toBe(1);
  });

  it('diffs the first snapshot against nothing', () => {
    const f = buildFrame(null, p1, 1);
    expect(f.calls).toBe(110);
    expect(f.callsPerSec).toBe(110);
    expect(f.syscalls.find((r) => r.key === 'fsync')!.share).toBeCloseTo(1_000_000 / 1_100_000, 6);
  });

  it('groups syscalls into categories', () => {
    const f = buildFrame(null, p1, 1);
    expect(Object.fromEntries(f.categories.map((c) => [c.key, c.calls]))).toEqual({ 'disk-read': 100, sync: 10 });
  });

  it('marks a process that disappeared, hides idle ones, and restarts a reused pid', () => {
    const a = snap(1, {
      processes: [
        { tgid: 10, comm: 'gone', syscalls: [statsOf('read', 0, [1000])] },
        { tgid: 11, comm: 'idle', syscalls: [statsOf('read', 0, [1000])] },
        { tgid: 12, comm: 'old', syscalls: [statsOf('read', 0, repeat(1000, 50))] },
      ],
    });
    const b = snap(2, {
      processes: [
        { tgid: 11, comm: 'idle', syscalls: [statsOf('read', 0, [1000])] },
        // pid 12 reused by a new process with fewer calls than the old one had
        { tgid: 12, comm: 'new', syscalls: [statsOf('read', 0, repeat(1000, 5))] },
      ],
    });
    const f = buildFrame(a, b, 2);
    const rows = Object.fromEntries(f.processes.map((r) => [r.label, { calls: r.calls, gone: r.gone }]));
    expect(rows).toEqual({ '12 new': { calls: 5, gone: false }, '10 gone': { calls: 0, gone: true } });
  });

  it('has no thread or file rows without events', () => {
    const f = buildFrame(null, p1, 1);
    expect(f.threads).toBeNull();
    expect(f.files).toBeNull();
  });

  it('counts lost events since the start and in the interval', () => {
    const lost = (n: number, t: number): Profile => snap(t, { health: { ...p1.health, lostEvents: n } });
    const f = buildFrame(lost(5, 1), lost(12, 2), 2);
    expect([f.lostEvents, f.lostEventsDelta]).toEqual([12, 7]);
  });
});

describe('costShare', () => {
  const withCost = (t: number, runNs: number, windowNs: number | null): Profile =>
    snap(t, { cost: { enabled: true, programs: [{ name: 'sp_enter', runTimeNs: runNs, runCount: 1 }], windowNs, memoryBytes: null } });

  it.each([
    ['interval run time over interval window', withCost(1, 1_000_000, 50_000_000), withCost(2, 2_000_000, 100_000_000), 0.02],
    ['whole session when the window did not move', withCost(1, 1_000_000, 50_000_000), withCost(2, 1_000_000, 50_000_000), 0.02],
    ['first snapshot', null, withCost(1, 500_000, 50_000_000), 0.01],
  ])('%s', (_name, prev, cur, share) => {
    expect(costShare(prev, cur)).toBeCloseTo(share, 9);
  });

  it('is null when run-time statistics are off', () => {
    expect(costShare(null, snap(1, {}))).toBeNull();
  });
});
