import { describe, expect, it } from 'vitest';
import type { Aggregate } from '../../../src/core/analysis/aggregate.js';
import { aggregateProfile } from '../../../src/core/analysis/aggregate-profile.js';
import { change, DEFAULT_DIFF_MIN_CALLS, DEFAULT_DIFF_THRESHOLD, diffCaptures, type DiffFinding, type DiffSide, type SyscallDiff } from '../../../src/core/analysis/diff.js';
import type { SyscallEvent } from '../../../src/core/model/events.js';
import { aggregateOf, callsOf, logNormal } from '../../helpers/offline.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

async function side(events: readonly SyscallEvent[], findings: readonly DiffFinding[] = [], verdict: string | null = null, durationNs = 1e9): Promise<DiffSide> {
  const aggregate: Aggregate = await aggregateOf(events);
  return { aggregate, durationNs, findings, verdict };
}

// An aggregate-only capture (in-kernel histograms, no per-call events) of one syscall.
function histogramSide(syscall: string, durations: readonly number[]): DiffSide {
  const profile = profileOf({ syscalls: [statsOf(syscall, null, durations)], durationNs: 1e9 });
  return { aggregate: aggregateProfile(profile), durationNs: profile.durationNs, findings: [], verdict: null };
}

const only = (d: { syscalls: readonly SyscallDiff[] }): SyscallDiff => d.syscalls[0]!;
const pOf = (s: SyscallDiff, metric: 'p50' | 'mean' | 'p99'): number => s.latency.find((j) => j.metric === metric)!.pValue!;
const scaled = (values: readonly number[], factor: number): number[] => values.map((v) => Math.round(v * factor));

const finding = (rule: string, syscall: string | null): DiffFinding => ({ rule, syscall, severity: 'info', subject: {}, metrics: {}, savingNs: 0, savingShare: 0 });

describe('change', () => {
  it.each([
    [100, 150, 0.5],
    [100, 50, -0.5],
    [100, 100, 0],
    [0, 10, null],
    [null, 10, null],
    [10, null, null],
  ])('%s -> %s is %s', (b, a, ratio) => {
    expect(change(b, a).ratio).toBe(ratio);
  });
});

describe('diffCaptures', () => {
  it('calls twice the calls at the same cost per call more work, not a regression', async () => {
    const d = diffCaptures(await side(callsOf('write', logNormal(1000, 20_000, 0.3, 1))), await side(callsOf('write', logNormal(2000, 20_000, 0.3, 2))));
    const s = only(d);
    expect(s.totalNs.ratio).toBeGreaterThan(0.9);
    expect(s.work).toEqual({ basis: 'calls', change: { before: 1000, after: 2000, ratio: 1 }, kind: 'more' });
    expect(s.perCall).toBe('unchanged');
    expect([s.regression, s.improvement, d.regressions]).toEqual([false, false, 0]);
    for (const m of ['p50', 'mean', 'p99'] as const) expect(pOf(s, m)).toBeGreaterThan(0.01);
    expect(s.tests!.data).toBe('calls');
  });

  it('flags latencies twice as long over 200 calls, with the tests and p-values', async () => {
    const before = logNormal(200, 20_000, 0.3, 3);
    const d = diffCaptures(await side(callsOf('read', before)), await side(callsOf('read', scaled(logNormal(200, 20_000, 0.3, 4), 2))));
    const s = only(d);
    expect(s.regression).toBe(true);
    expect(s.regressed).toEqual(['p50', 'mean', 'p99']);
    expect(s.latency.map((j) => [j.metric, j.test, j.significant])).toEqual([
      ['p50', 'mann-whitney-u', 'slower'],
      ['mean', 'mann-whitney-u', 'slower'],
      ['p99', 'exceedance', 'slower'],
    ]);
    expect(pOf(s, 'p50')).toBeLessThan(0.01);
    expect(pOf(s, 'p99')).toBeLessThan(0.01);
    expect(s.tests!.mannWhitney.superiority).toBeGreaterThan(0.9);
    expect(s.perCall).toBe('slower');
    expect(s.work.kind).toBe('same');
    expect(d.regressions).toBe(1);
  });

  it('does not flag a small noisy sample, however it moved', async () => {
    const d = diffCaptures(await side(callsOf('read', [1000, 1100, 1050, 980, 1020])), await side(callsOf('read', [1180, 1250, 1010, 1220, 1160])), { minCalls: 1 });
    const s = only(d);
    expect(s.p50Ns.ratio).toBeGreaterThan(0.1);
    expect(s.latency.find((j) => j.metric === 'p50')).toMatchObject({ large: true, significant: null });
    expect(pOf(s, 'p50')).toBeGreaterThan(0.01);
    expect(pOf(s, 'p99')).toBeGreaterThan(0.01);
    expect(s.regression).toBe(false);
  });

  it('tests aggregate-only captures on their histogram buckets', async () => {
    const base = logNormal(500, 50_000, 0.3, 5);
    const same = diffCaptures(histogramSide('fsync', base), histogramSide('fsync', [...logNormal(500, 50_000, 0.3, 6), ...logNormal(500, 50_000, 0.3, 7)]));
    expect(only(same)).toMatchObject({ estimated: true, regression: false, perCall: 'unchanged', work: { kind: 'more' } });
    expect(only(same).tests!.data).toBe('histogram');
    const slower = diffCaptures(histogramSide('fsync', base), histogramSide('fsync', scaled(logNormal(500, 50_000, 0.3, 8), 2)));
    expect(only(slower).regressed).toEqual(['p50', 'mean', 'p99']);
    expect(pOf(only(slower), 'p50')).toBeLessThan(1e-6);
    // ties: 500 calls in a few buckets each side, not 500 distinct values
    expect(only(slower).tests!.mannWhitney.pValue).toBeLessThan(0.01);
  });

  it('never calls a longer wait a regression', async () => {
    const d = diffCaptures(await side(callsOf('epoll_wait', logNormal(300, 1e6, 0.3, 9))), await side(callsOf('epoll_wait', scaled(logNormal(300, 1e6, 0.3, 10), 3))));
    const s = only(d);
    expect(s.waiting).toBe(true);
    expect(s.latency.every((j) => j.significant === 'slower')).toBe(true);
    expect([s.regression, s.improvement, d.regressions]).toEqual([false, false, 0]);
    expect(s.regressed).toEqual([]);
  });

  it('flags a worse tail alone with the exceedance test', async () => {
    const before = logNormal(2000, 20_000, 0.2, 11);
    const after = logNormal(2000, 20_000, 0.2, 12).map((v, i) => (i % 25 === 0 ? v * 10 : v));
    const s = only(diffCaptures(await side(callsOf('pread64', before)), await side(callsOf('pread64', after))));
    expect(s.regressed).toContain('p99');
    expect(s.regressed).not.toContain('p50');
    expect(s.tests!.exceedance.afterAbove).toBeGreaterThan(70);
    expect(s.tests!.exceedance.expectedAbove).toBeCloseTo(21, 0);
    expect(s.latency.find((j) => j.metric === 'p50')!.large).toBe(false);
  });

  it('needs a practical effect: a huge sample does not flag a 2% change', async () => {
    const before = logNormal(100_000, 20_000, 0.3, 13);
    const s = only(diffCaptures(await side(callsOf('read', before)), await side(callsOf('read', scaled(logNormal(100_000, 20_000, 0.3, 14), 1.02)))));
    expect(pOf(s, 'p50')).toBeLessThan(1e-6);
    expect(s.latency.find((j) => j.metric === 'p50')).toMatchObject({ large: false, significant: null });
    expect(s.regression).toBe(false);
  });

  it('needs the change to reach the minimum in ns as well', async () => {
    const before = side(callsOf('getpid', logNormal(1000, 50, 0.1, 15)));
    const after = side(callsOf('getpid', logNormal(1000, 80, 0.1, 16)));
    const [b, a] = await Promise.all([before, after]);
    expect(only(diffCaptures(b, a)).regression).toBe(false);
    expect(only(diffCaptures(b, a, { minDeltaNs: 10 })).regressed).toEqual(['p50', 'mean', 'p99']);
  });

  it('compares work per second for windows of different lengths on running work', async () => {
    const values = logNormal(3000, 20_000, 0.3, 17);
    const d = diffCaptures(await side(callsOf('read', values.slice(0, 1000)), [], null, 1e9), await side(callsOf('read', values.slice(1000)), [], null, 2e9));
    expect(d.workBasis).toBe('rate');
    expect(d.callsPerSec).toEqual({ before: 1000, after: 1000, ratio: 0 });
    expect(only(d).work).toMatchObject({ basis: 'rate', kind: 'same' });
    expect(only(d).timePerSec.ratio!).toBeCloseTo(0, 1);
    // the same calls in a longer run: a fixed amount of work that took longer
    const fixed = diffCaptures(await side(callsOf('read', values.slice(0, 1000)), [], null, 1e9), await side(callsOf('read', values.slice(1000, 2000)), [], null, 3e9));
    expect(fixed.workBasis).toBe('calls');
    expect(only(fixed).work.kind).toBe('same');
  });

  it('gives totals per call and per second', async () => {
    const d = diffCaptures(await side(callsOf('read', [1000, 3000]), [], null, 1e9), await side(callsOf('read', [1000, 1000, 1000, 1000]), [], null, 2e9));
    expect(d.perCallNs).toEqual({ before: 2000, after: 1000, ratio: -0.5 });
    expect(d.callsPerSec).toEqual({ before: 2, after: 2, ratio: 0 });
    expect(d.timePerSec).toEqual({ before: 4000, after: 2000, ratio: -0.5 });
  });

  it('does not flag noise within the threshold', async () => {
    const before = await side(callsOf('read', logNormal(500, 20_000, 0.3, 1)));
    const after = await side(callsOf('read', logNormal(500, 20_000, 0.3, 2)));
    const s = diffCaptures(before, after).syscalls[0]!;
    expect(Math.abs(s.p99Ns.ratio!)).toBeLessThan(DEFAULT_DIFF_THRESHOLD);
    expect(Math.abs(s.totalNs.ratio!)).toBeLessThan(DEFAULT_DIFF_THRESHOLD);
    expect(s.regression).toBe(false);
    expect(s.improvement).toBe(false);
  });

  it('does not flag a big change with too few calls', async () => {
    const d = diffCaptures(await side(callsOf('fsync', Array<number>(DEFAULT_DIFF_MIN_CALLS - 1).fill(1000))), await side(callsOf('fsync', Array<number>(DEFAULT_DIFF_MIN_CALLS).fill(50_000))));
    expect(d.syscalls[0]!.p99Ns.ratio).toBe(49);
    expect(pOf(d.syscalls[0]!, 'p50')).toBeLessThan(0.01);
    expect(d.syscalls[0]!.regression).toBe(false);
    expect(d.syscalls[0]!.perCall).toBeNull();
  });

  it('honours the threshold and minimum calls it is given', async () => {
    const before = await side(callsOf('read', Array<number>(10).fill(1000)));
    const after = await side(callsOf('read', Array<number>(10).fill(1100)));
    expect(diffCaptures(before, after).syscalls[0]!.regression).toBe(false);
    expect(diffCaptures(before, after, { threshold: 0.05, minCalls: 10 }).syscalls[0]!.regressed).toEqual(['p50', 'mean', 'p99']);
    expect(diffCaptures(before, after, { threshold: 0.2, minCalls: 10 }).syscalls[0]!.regression).toBe(false);
  });

  it('marks an improvement', async () => {
    const d = diffCaptures(await side(callsOf('fsync', Array<number>(40).fill(1_000_000))), await side(callsOf('fsync', Array<number>(40).fill(100_000))));
    expect(d.syscalls[0]!.improvement).toBe(true);
    expect(d.syscalls[0]!.improved).toEqual(['p50', 'mean']);
    expect(d.improvements).toBe(1);
    expect(d.regressions).toBe(0);
  });

  it('lists new and gone syscalls, never as regressions, by size of change', async () => {
    const before = await side([...callsOf('fsync', Array<number>(40).fill(1_000_000)), ...callsOf('read', Array<number>(40).fill(1000))]);
    const after = await side([...callsOf('write', Array<number>(40).fill(2000)), ...callsOf('read', Array<number>(40).fill(1000))]);
    const d = diffCaptures(before, after);
    expect(d.syscalls.map((s) => [s.name, s.status, s.regression])).toEqual([
      ['fsync', 'gone', false],
      ['write', 'new', false],
      ['read', 'both', false],
    ]);
    expect(d.syscalls[1]!.count).toEqual({ before: null, after: 40, ratio: null });
  });

  it('compares time per category and the bottleneck', async () => {
    const before = await side([...callsOf('fsync', [9000]), ...callsOf('write', [1000])]);
    const after = await side([...callsOf('fsync', [1000]), ...callsOf('write', [9000])]);
    const d = diffCaptures(before, after);
    expect(d.categories.map((c) => [c.category, c.totalNs.before, c.totalNs.after, c.bottleneckBefore, c.bottleneckAfter])).toEqual([
      ['disk-write', 1000, 9000, false, true],
      ['sync', 9000, 1000, true, false],
    ]);
    expect(d.categories[0]!.share).toEqual({ before: 0.1, after: 0.9, ratio: 8 });
  });

  it('reports new and gone findings, matched by rule and syscall, and the verdict change', async () => {
    const before = await side(callsOf('read', [1]), [finding('small-reads', 'read'), finding('stat-storm', 'newfstatat')], 'io-bound');
    const after = await side(callsOf('read', [1]), [finding('small-reads', 'read'), finding('sync-dominant', 'fsync'), finding('small-reads', 'pread64')], 'cpu-bound');
    const d = diffCaptures(before, after);
    expect(d.newFindings.map((f) => `${f.rule}/${f.syscall}`)).toEqual(['sync-dominant/fsync', 'small-reads/pread64']);
    expect(d.goneFindings.map((f) => `${f.rule}/${f.syscall}`)).toEqual(['stat-storm/newfstatat']);
    expect(d.verdict).toEqual({ before: 'io-bound', after: 'cpu-bound', changed: true });
  });

  it('compares two empty captures', async () => {
    const d = diffCaptures(await side([]), await side([]));
    expect(d.syscalls).toEqual([]);
    expect(d.categories).toEqual([]);
    expect(d.calls).toEqual({ before: 0, after: 0, ratio: null });
    expect(d.regressions).toBe(0);
  });

  it.each([-0.1, Number.NaN, Infinity])('rejects the threshold %s', async (t) => {
    const s = await side([]);
    expect(() => diffCaptures(s, s, { threshold: t, minCalls: 1 })).toThrow(RangeError);
  });

  it.each([
    [{ alpha: 0 }],
    [{ alpha: 1 }],
    [{ minDeltaNs: -1 }],
  ])('rejects %j', async (o) => {
    const s = await side([]);
    expect(() => diffCaptures(s, s, o)).toThrow(RangeError);
  });
});
