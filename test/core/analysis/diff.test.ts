import { describe, expect, it } from 'vitest';
import type { Aggregate } from '../../../src/core/analysis/aggregate.js';
import { change, DEFAULT_DIFF_MIN_CALLS, DEFAULT_DIFF_THRESHOLD, diffCaptures, type DiffFinding, type DiffSide } from '../../../src/core/analysis/diff.js';
import type { SyscallEvent } from '../../../src/core/model/events.js';
import { aggregateOf, callsOf, logNormal } from '../../helpers/offline.js';

async function side(events: readonly SyscallEvent[], findings: readonly DiffFinding[] = [], verdict: string | null = null): Promise<DiffSide> {
  const aggregate: Aggregate = await aggregateOf(events);
  return { aggregate, durationNs: 1e9, findings, verdict };
}

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
  it('flags a p99 regression with enough calls on both sides', async () => {
    const before = await side(callsOf('fsync', Array<number>(50).fill(100_000)));
    const after = await side(callsOf('fsync', [...Array<number>(45).fill(100_000), ...Array<number>(5).fill(1_000_000)]));
    const d = diffCaptures(before, after);
    const s = d.syscalls.find((x) => x.name === 'fsync')!;
    expect(s.status).toBe('both');
    expect(s.p99Ns).toEqual({ before: 100_000, after: 1_000_000, ratio: 9 });
    expect(s.regressed).toEqual(['p99', 'total']);
    expect(s.regression).toBe(true);
    expect(d.regressions).toBe(1);
  });

  it('flags a total-time regression when the calls multiply', async () => {
    const d = diffCaptures(await side(callsOf('write', Array<number>(40).fill(2000))), await side(callsOf('write', Array<number>(100).fill(2000))));
    const s = d.syscalls[0]!;
    expect(s.count.ratio).toBe(1.5);
    expect(s.regressed).toEqual(['total']);
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
    expect(d.syscalls[0]!.regression).toBe(false);
  });

  it('honours the threshold and minimum calls it is given', async () => {
    const before = await side(callsOf('read', Array<number>(10).fill(1000)));
    const after = await side(callsOf('read', Array<number>(10).fill(1100)));
    expect(diffCaptures(before, after).syscalls[0]!.regression).toBe(false);
    expect(diffCaptures(before, after, { threshold: 0.05, minCalls: 10 }).syscalls[0]!.regressed).toEqual(['p99', 'total']);
  });

  it('marks an improvement', async () => {
    const d = diffCaptures(await side(callsOf('fsync', Array<number>(40).fill(1_000_000))), await side(callsOf('fsync', Array<number>(40).fill(100_000))));
    expect(d.syscalls[0]!.improvement).toBe(true);
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
});
