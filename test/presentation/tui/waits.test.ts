// Waiting rows of the live view: what is one, %TIME over working time, and the
// ranking with waits apart or counted in (src/presentation/tui/model/waits.ts).
import { describe, expect, it } from 'vitest';
import { EventBatch } from '../../../src/core/model/events.js';
import type { Profile } from '../../../src/core/model/profile.js';
import { EventWindow } from '../../../src/presentation/tui/model/event-window.js';
import { buildFrame } from '../../../src/presentation/tui/model/interval.js';
import type { LiveRow } from '../../../src/presentation/tui/model/live-row.js';
import { rowComparator, visibleRows } from '../../../src/presentation/tui/model/view-rows.js';
import { isWaitingRow, isWaitingSyscall, rankedNs, sectionOrder, timeShare, workingShare } from '../../../src/presentation/tui/model/waits.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

const repeat = (ns: number, n: number): number[] => Array.from({ length: n }, () => ns);
const snap = (overrides: Partial<Profile>): Profile => profileOf({ durationNs: 1e9, final: false, stopReason: null, ...overrides });
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const labels = (rows: readonly LiveRow[]): string[] => rows.map((r) => r.label);

// a whole-system interval: a shell waiting for its child, a futex, a poll loop; and the work
const system = snap({
  syscalls: [
    statsOf('wait4', 61, [900_000_000]),
    statsOf('futex', 202, repeat(10_000_000, 50)),
    statsOf('poll', 7, repeat(1_000_000, 100)),
    statsOf('fsync', 74, repeat(1_000_000, 30)),
    statsOf('write', 1, repeat(10_000, 1000)),
    statsOf('read', 0, repeat(2_000, 5000)),
  ],
  processes: [
    // a shell: one long wait4 and a few writes
    { tgid: 10, comm: 'sh', syscalls: [statsOf('wait4', 61, [900_000_000]), statsOf('write', 1, repeat(10_000, 10))] },
    // the database: the fsyncs, most writes, and futex waits
    { tgid: 20, comm: 'db', syscalls: [statsOf('fsync', 74, repeat(1_000_000, 30)), statsOf('write', 1, repeat(10_000, 990)), statsOf('futex', 202, repeat(10_000_000, 50))] },
    // a reader
    { tgid: 30, comm: 'cat', syscalls: [statsOf('read', 0, repeat(2_000, 5000))] },
    // an idle event loop: it only polled
    { tgid: 40, comm: 'loop', syscalls: [statsOf('poll', 7, repeat(1_000_000, 100))] },
  ],
});
const frame = buildFrame(null, system, 1);
const WORKING_NS = 30_000_000 + 10_000_000 + 10_000_000;
const WAIT_NS = 900_000_000 + 500_000_000 + 100_000_000;

describe('isWaitingSyscall', () => {
  it.each([
    'epoll_wait',
    'epoll_pwait',
    'epoll_pwait2',
    'poll',
    'ppoll',
    'select',
    'pselect6',
    'wait4',
    'waitid',
    'nanosleep',
    'clock_nanosleep',
    'futex',
    'pause',
    'rt_sigtimedwait',
    'rt_sigsuspend',
  ])('%s waits', (name) => {
    expect(isWaitingSyscall(name)).toBe(true);
  });

  it.each(['read', 'write', 'fsync', 'openat', 'mmap', 'sendto', 'clone', 'getpid', 'no_such_call'])('%s works', (name) => {
    expect(isWaitingSyscall(name)).toBe(false);
  });
});

describe('the %TIME arithmetic', () => {
  it.each<[number, number, boolean]>([
    [0, 0, false],
    [5, 0, false],
    [5, 4, false],
    [5, 5, true],
    [0, 3, false],
  ])('%i calls of which %i wait: waiting %s', (calls, waitCalls, waiting) => {
    expect(isWaitingRow(calls, waitCalls)).toBe(waiting);
  });

  it('takes a mixed row at its working time, and gives waiting rows and empty intervals no share of work', () => {
    expect(workingShare(100, 60, false, 80)).toBe(0.5);
    expect(workingShare(100, 100, true, 80)).toBeNull();
    expect(workingShare(100, 0, false, 0)).toBe(0);
  });

  it('ranks by working time with waits apart and by all time with waits in', () => {
    const mixed = { totalNs: 100, waitNs: 90, waiting: false, share: 0.5, workShare: 0.1 };
    const waiting = { totalNs: 100, waitNs: 100, waiting: true, share: 0.5, workShare: null };
    expect([rankedNs(mixed, false), rankedNs(mixed, true)]).toEqual([10, 100]);
    // a waiting row ranks by its waiting time within its section
    expect(rankedNs(waiting, false)).toBe(100);
    expect([timeShare(mixed, false), timeShare(mixed, true), timeShare(waiting, false), timeShare(waiting, true)]).toEqual([0.1, 0.5, null, 0.5]);
  });

  it('puts the waiting rows after the working ones, each part in the given order', () => {
    const rows = [
      { id: 'a', waiting: true },
      { id: 'b', waiting: false },
      { id: 'c', waiting: true },
      { id: 'd', waiting: false },
    ];
    const byId = (x: { id: string }, y: { id: string }): number => (x.id < y.id ? -1 : 1);
    expect([...rows].sort(sectionOrder(byId, false)).map((r) => r.id)).toEqual(['b', 'd', 'a', 'c']);
    expect([...rows].sort(sectionOrder(byId, true)).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('a frame with waits', () => {
  it('counts its waiting time apart from its working time', () => {
    expect(frame.tracedNs).toBe(WORKING_NS + WAIT_NS);
    expect(frame.waitNs).toBe(WAIT_NS);
  });

  it('ranks the working syscalls by working %TIME, the waiting ones after them', () => {
    const shown = visibleRows(frame.syscalls, { filter: '', sort: 'share', limit: 100 });
    expect(labels(shown.rows)).toEqual(['fsync', 'read', 'write', 'wait4', 'futex', 'poll']);
    expect(shown.working).toBe(3);
    expect(shown.rows.map((r) => r.waiting)).toEqual([false, false, false, true, true, true]);
    const fsync = shown.rows[0]!;
    expect(fsync.workShare).toBeCloseTo(30_000_000 / WORKING_NS, 9);
    // of all traced time it is 2%: the waits would have pushed it under them
    expect(fsync.share).toBeCloseTo(30_000_000 / (WORKING_NS + WAIT_NS), 9);
  });

  it('has working %TIME summing to 100 over the working rows, and none for the waiting ones', () => {
    const working = frame.syscalls.filter((r) => !r.waiting);
    expect(sum(working.map((r) => timeShare(r, false)!))).toBeCloseTo(1, 9);
    expect(frame.syscalls.filter((r) => r.waiting).map((r) => timeShare(r, false))).toEqual([null, null, null]);
    // with waits in, every row has a share of all traced time, and they sum to 100
    expect(sum(frame.syscalls.map((r) => timeShare(r, true)!))).toBeCloseTo(1, 9);
  });

  it('ranks waits with the rest when they are counted in', () => {
    const shown = visibleRows(frame.syscalls, { filter: '', sort: 'share', limit: 100, includeWaits: true });
    expect(labels(shown.rows)).toEqual(['wait4', 'futex', 'poll', 'fsync', 'read', 'write']);
    // one ranking: no waiting section
    expect(shown.working).toBe(shown.matching);
  });

  it('keeps the sections under any sort column, and with a filter', () => {
    expect(labels([...frame.syscalls].sort(rowComparator('calls')))).toEqual(['read', 'write', 'fsync', 'poll', 'futex', 'wait4']);
    expect(labels([...frame.syscalls].sort(rowComparator('calls', true)))).toEqual(['read', 'write', 'poll', 'futex', 'fsync', 'wait4']);
    const filtered = visibleRows(frame.syscalls, { filter: 'w', sort: 'share', limit: 1 });
    expect([filtered.matching, filtered.working, labels(filtered.rows)]).toEqual([2, 1, ['write']]);
  });

  it('ranks processes by their working time: one that only waited is a waiting row', () => {
    const shown = visibleRows(frame.processes, { filter: '', sort: 'share', limit: 100 });
    expect(labels(shown.rows)).toEqual(['20 db', '30 cat', '10 sh', '40 loop']);
    expect(shown.working).toBe(3);
    const sh = frame.processes.find((r) => r.label === '10 sh')!;
    expect([sh.waiting, sh.waitNs, sh.totalNs]).toEqual([false, 900_000_000, 900_100_000]);
    expect(sh.workShare).toBeCloseTo(100_000 / WORKING_NS, 9);
    expect(sum(frame.processes.filter((r) => !r.waiting).map((r) => r.workShare!))).toBeCloseTo(1, 9);
    // with waits in, the shell's wait4 puts it on top
    expect(labels(visibleRows(frame.processes, { filter: '', sort: 'share', limit: 100, includeWaits: true }).rows)).toEqual([
      '10 sh',
      '20 db',
      '40 loop',
      '30 cat',
    ]);
  });

  it('makes the Waiting category a waiting row', () => {
    const shown = visibleRows(frame.categories, { filter: '', sort: 'share', limit: 100 });
    expect(labels(shown.rows).at(-1)).toBe('Waiting');
    expect(shown.rows.at(-1)!.waiting).toBe(true);
    expect(shown.working).toBe(shown.matching - 1);
    expect(sum(shown.rows.filter((r) => !r.waiting).map((r) => r.workShare!))).toBeCloseTo(1, 9);
  });

  it('has no waiting rows and the same shares as before in an interval without waits', () => {
    const f = buildFrame(null, snap({ syscalls: [statsOf('read', 0, repeat(1000, 10)), statsOf('fsync', 74, [30_000])] }), 1);
    expect(f.waitNs).toBe(0);
    for (const r of f.syscalls) expect([r.waiting, r.workShare]).toEqual([false, r.share]);
  });
});

describe('thread and file rows (event mode)', () => {
  const call = (tid: number, syscall: string, durationNs: number, path: string | null) =>
    ({ startNs: 0, durationNs, pid: 7, tid, comm: 'app', syscall, nr: null, ret: 0, args: [], pos: null, path }) as const;

  it('counts each row its waiting calls: a thread that only slept is a waiting row', () => {
    const w = new EventWindow();
    const batch = new EventBatch(8);
    batch.push(call(7, 'write', 3000, '/data/log'));
    batch.push(call(7, 'futex', 5_000_000, null));
    batch.push(call(8, 'nanosleep', 50_000_000, null));
    batch.push(call(9, 'epoll_wait', 1_000_000, 'anon_inode:[eventpoll]'));
    batch.push(call(9, 'read', 1000, 'socket:[1]'));
    w.add(batch);
    const { threads, files } = w.take(1e9, 56_004_000, 4000);
    const byLabel = Object.fromEntries(threads.map((t) => [t.label, t]));
    expect([byLabel['7 app']!.waiting, byLabel['7 app']!.waitNs, byLabel['7 app']!.workShare]).toEqual([false, 5_000_000, 0.75]);
    expect([byLabel['8 app (pid 7)']!.waiting, byLabel['8 app (pid 7)']!.workShare]).toEqual([true, null]);
    expect(byLabel['9 app (pid 7)']!.workShare).toBe(0.25);
    const fileWaits = Object.fromEntries(files.map((f) => [f.label, f.waiting]));
    expect(fileWaits).toEqual({ '/data/log': false, 'anon_inode:[eventpoll]': true, 'socket:[1]': false });
  });
});
