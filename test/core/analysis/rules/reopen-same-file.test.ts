import { describe, expect, it } from 'vitest';
import { reopenSameFile, REOPEN_MIN_OPENS } from '../../../../src/core/analysis/rules/reopen-same-file.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { call, contextOf, contextWithoutFacts, openat, times } from '../events.js';

// n open/read-nothing/close cycles of one path
const cycles = (n: number, path = '/etc/app.conf'): SyscallEvent[] =>
  times(n, () => [openat(path, 3, 0, { durationNs: 4_000 }), call('close', [3], 0, { path, durationNs: 1_000 })]);

describe('reopenSameFile', () => {
  it('fires for a file opened again and again; saving: (opens - 1) * (open + close)', async () => {
    const [f, ...rest] = reopenSameFile(await contextOf(cycles(30), 1e9));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'reopen-same-file', syscall: 'openat', subject: { path: '/etc/app.conf' } });
    expect(f!.savingNs).toBe(29 * 5_000);
    expect(f!.metrics).toEqual({ opens: 30, reopens: 29, processes: 1, closes: 30, cycleNs: 5_000, totalNs: 30 * 5_000, wallShare: (30 * 5_000) / 1e9 });
  });

  it.each<[string, SyscallEvent[], number]>([
    ['20 opens: 19 reopens', cycles(REOPEN_MIN_OPENS), 0],
    ['21 opens: 20 reopens', cycles(REOPEN_MIN_OPENS + 1), 1],
    // each new process opening the loader's cache once is start-up, not a reopen
    ['one open by each of 50 processes', times(50, (i) => [openat('/etc/ld.so.cache', 3, 0, { pid: 1000 + i, tid: 1000 + i })]), 0],
    ['failed opens do not count', times(50, () => openat('/etc/app.conf', -2)), 0],
    ['many files once each', times(100, (i) => cycles(1, `/d/f${i}`)), 0],
    // one pattern, one finding: the other files are counted in it (see below)
    ['several files reopened', [1, 2, 3, 4].flatMap((k) => cycles(20 + k, `/d/f${k}`)), 1],
  ])('%s', async (_name, events, n) => {
    expect(reopenSameFile(await contextOf(events, 1e9))).toHaveLength(n);
  });

  it('says the pattern once: the file with the most saving named, the others counted and added in', async () => {
    const [f, ...rest] = reopenSameFile(await contextOf([1, 2, 3, 4].flatMap((k) => cycles(20 + k, `/d/f${k}`)), 1e9));
    expect(rest).toEqual([]);
    expect(f!.subject).toEqual({ path: '/d/f4', otherPaths: 3 });
    expect(f!.metrics).toMatchObject({ opens: 21 + 22 + 23 + 24, closes: 21 + 22 + 23 + 24, cycleNs: 5_000 });
    // each file kept open: one open and close each
    expect(f!.savingNs).toBe((20 + 21 + 22 + 23) * 5_000);
  });

  it('stays quiet without per-call facts', async () => {
    expect(reopenSameFile(await contextWithoutFacts(cycles(100), 1e9))).toEqual([]);
  });
});
