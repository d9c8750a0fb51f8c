import { describe, expect, it } from 'vitest';
import { cpuSplit, cpuSplitSummary, CPU_STARVED_SHARE, type CpuSplit } from '../../../src/core/analysis/cpu-split.js';

const split = (name: string, total: number, off: number | null, runq: number | null): CpuSplit => cpuSplit(name, total, off, runq)!;

describe('cpuSplit', () => {
  it.each<[string, number, number | null, number | null, Partial<CpuSplit> | null]>([
    ['unknown off-CPU time', 100, null, null, null],
    ['all on the CPU', 100, 0, 0, { offCpuNs: 0, blockedNs: 0, runqNs: 0, onCpuNs: 100 }],
    ['blocked and runnable parts', 100, 80, 30, { offCpuNs: 80, blockedNs: 50, runqNs: 30, onCpuNs: 20 }],
    ['runnable part unknown: all off-CPU time is blocked', 100, 80, null, { blockedNs: 80, runqNs: null, onCpuNs: 20 }],
    ['parts clamped to the whole', 100, 150, 200, { offCpuNs: 100, blockedNs: 0, runqNs: 100, onCpuNs: 0 }],
  ])('%s', (_name, total, off, runq, want) => {
    const s = cpuSplit('fsync', total, off, runq);
    if (want === null) expect(s).toBeNull();
    else expect(s).toMatchObject(want);
  });
});

describe('cpuSplitSummary', () => {
  it('is null without splits or without time', () => {
    expect(cpuSplitSummary([])).toBeNull();
    expect(cpuSplitSummary([split('read', 0, 0, 0)])).toBeNull();
  });

  it.each<[string, CpuSplit[], 'blocked' | 'cpu-starved' | 'on-cpu', [number, number, number]]>([
    ['a disk-bound capture', [split('fsync', 1000, 900, 10), split('write', 100, 0, 0)], 'blocked', [890, 10, 200]],
    ['a saturated machine', [split('read', 1000, 500, 400)], 'cpu-starved', [100, 400, 500]],
    ['kernel CPU work', [split('read', 1000, 100, 10)], 'on-cpu', [90, 10, 900]],
  ])('%s', (_name, splits, dominant, [blocked, runq, onCpu]) => {
    const s = cpuSplitSummary(splits)!;
    expect(s.dominant).toBe(dominant);
    expect([s.blockedNs, s.runqNs, s.onCpuNs]).toEqual([blocked, runq, onCpu]);
    expect(s.blockedNs + s.runqNs + s.onCpuNs).toBe(s.totalNs);
  });

  it('leaves waiting syscalls out: a blocked epoll_wait is no problem', () => {
    const s = cpuSplitSummary([split('epoll_wait', 10_000, 10_000, 0), split('read', 1000, 100, 10)])!;
    expect(s.totalNs).toBe(1000);
    expect(s.dominant).toBe('on-cpu');
    expect(cpuSplitSummary([split('futex', 1000, 1000, 0)])).toBeNull();
  });

  it('calls the CPU saturated from the documented share of runnable time on', () => {
    expect(cpuSplitSummary([split('read', 1000, 1000 * CPU_STARVED_SHARE, 1000 * CPU_STARVED_SHARE)])!.dominant).toBe('cpu-starved');
    expect(cpuSplitSummary([split('read', 1000, 1000 * CPU_STARVED_SHARE - 1, 1000 * CPU_STARVED_SHARE - 1)])!.dominant).toBe('on-cpu');
  });
});
