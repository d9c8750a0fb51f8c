import { describe, expect, it } from 'vitest';
import { futexContention, FUTEX_MIN_LONG_WAITS } from '../../../../src/core/analysis/rules/futex-contention.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { call, contextOf, contextWithoutFacts, times } from '../events.js';

const PRIVATE = 128;
// n long waits (200 us) on one word, round-robin over `threads` threads
const waits = (n: number, threads: number, ns = 200_000): SyscallEvent[] =>
  times(n, (i) => call('futex', [0x5000, 0 | PRIVATE, 2, 0], 0, { durationNs: ns, tid: 100 + (i % threads) }));

describe('futexContention', () => {
  it('fires for long waits across threads; saving: long wait time / threads', async () => {
    const [f, ...rest] = futexContention(await contextOf([...waits(60, 3), call('futex', [0x5000, 1 | PRIVATE, 1], 1)], 100e6));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'futex-contention', syscall: 'futex', severity: 'warning' });
    expect(f!.savingNs).toBe((60 * 200_000) / 3);
    expect(f!.subject.word).toEqual({ address: '0x5000', pid: 100, longWaits: 60, threads: 3, longWaitNs: 12e6 });
    expect(f!.metrics).toMatchObject({ longWaits: 60, waits: 60, longWaitNs: 12e6, threads: 3, wakes: 1, timedOut: 0, joins: 0 });
  });

  it.each<[string, SyscallEvent[], number]>([
    // 1 ms each: well over 10% of the wall time either way
    ['19 long waits', waits(FUTEX_MIN_LONG_WAITS - 1, 3, 1_000_000), 0],
    ['20 long waits', waits(FUTEX_MIN_LONG_WAITS, 3, 1_000_000), 1],
    // an idle pool: 4 threads, each waiting the whole time for work
    ['a few very long waits', waits(4, 4, 90e6), 0],
    ['one thread', waits(200, 1), 0],
    ['short waits', waits(500, 4, 99_999), 0],
    ['timed-out waits (timed sleeps)', times(100, (i) => call('futex', [0x5000, 0, 2, 0x7ffd0000], -110, { durationNs: 1_000_000, tid: 100 + (i % 2) })), 0],
    // 50 x 200 us = 10 ms: 10% of 100 ms is enough, of 100.1 ms not
    ['under 10% of wall time', waits(50, 2), 0],
    ['at 10% of wall time', waits(50, 2), 1],
  ])('%s', async (name, events, n) => {
    expect(futexContention(await contextOf(events, name.startsWith('under') ? 100.1e6 : 100e6))).toHaveLength(n);
  });

  it('says how many thread joins it left out', async () => {
    const join = call('futex', [0x7000, 9, 150, 0, 0, -1], 0, { durationNs: 50e6, tid: 100 });
    const [f] = futexContention(await contextOf([...waits(60, 3), join, call('exit', [0], 0, { tid: 150 })], 100e6));
    // the 50 ms join adds neither a thread nor to the saving
    expect(f!.metrics).toMatchObject({ longWaits: 60, threads: 3 });
    expect(f!.savingNs).toBe((60 * 200_000) / 3);
    expect(f!.metrics).toMatchObject({ joins: 1, joinNs: 50e6 });
  });

  it('stays quiet without per-call facts', async () => {
    expect(futexContention(await contextWithoutFacts(waits(500, 4), 100e6))).toEqual([]);
  });
});
