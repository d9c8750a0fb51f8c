import { describe, expect, it } from 'vitest';
import { sleepLoop, SLEEP_LOOP_MIN_CALLS, SLEEP_SHORT_NS } from '../../../../src/core/analysis/rules/sleep-loop.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { callsOf } from '../../../helpers/offline.js';
import { contextOf, contextWithoutFacts } from '../events.js';

const sleeps = (n: number, ns = 60_000, extra: Partial<SyscallEvent> = {}): SyscallEvent[] => callsOf('nanosleep', Array<number>(n).fill(ns), extra);
const getpids = callsOf('getpid', Array<number>(20).fill(300));

describe('sleepLoop', () => {
  it('fires for many short sleeps; saving without off-CPU times: calls * measured round trip', async () => {
    const [f, ...rest] = sleepLoop(await contextOf([...sleeps(200), ...getpids], 1e9));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'sleep-loop', syscall: 'nanosleep', metrics: { calls: 200, callsPerSec: 200, medianNs: 60_000, totalNs: 200 * 60_000 } });
    // the cheapest syscall with 10+ calls: getpid at 300 ns
    expect(f!.savingNs).toBe(200 * 300);
  });

  it.each<[string, SyscallEvent[], number, number | null]>([
    // a sleep's own latency is the wait, not a round trip; nor is any other waiting call's
    ['only sleeps: no round trip measured', sleeps(200), 0, null],
    ['waiting calls are no round trip', [...sleeps(200), ...callsOf('futex', Array<number>(50).fill(100))], 0, null],
    // with no syscall called 10 times, the cheapest of the few calls there are
    ['a few cold calls', [...sleeps(200), ...callsOf('close', [900]), ...callsOf('brk', [1_500, 1_500])], 200 * 900, 900],
    ['the settled figure first', [...sleeps(200), ...callsOf('close', [200]), ...getpids], 200 * 300, 300],
  ])('round trip: %s', async (_name, events, saving, trip) => {
    const [f] = sleepLoop(await contextOf(events, 1e9));
    expect(f!.savingNs).toBe(saving);
    expect(f!.metrics).toMatchObject({ onCpuNs: null, roundTripNs: trip, perWakeNs: trip ?? 0 });
  });

  it('with off-CPU times, saving: the on-CPU part of the sleeps', async () => {
    const [f] = sleepLoop(await contextOf(sleeps(200, 60_000, { offCpuNs: 55_000 }), 1e9));
    expect(f!.savingNs).toBe(200 * 5_000);
    expect(f!.metrics).toMatchObject({ onCpuNs: 1e6, perWakeNs: 5_000 });
  });

  it.each<[string, SyscallEvent[], number, number]>([
    ['99 sleeps', sleeps(SLEEP_LOOP_MIN_CALLS - 1), 1e9, 0],
    ['100 sleeps', sleeps(SLEEP_LOOP_MIN_CALLS), 1e9, 1],
    ['median 2 ms', sleeps(100, SLEEP_SHORT_NS), 1e9, 1],
    ['median over 2 ms', sleeps(100, SLEEP_SHORT_NS + 10_000), 1e9, 0],
    ['under 50 per second', sleeps(100), 2.01e9, 0],
    ['clock_nanosleep too', callsOf('clock_nanosleep', Array<number>(150).fill(1_100_000)), 1e9, 1],
  ])('%s', async (_name, events, duration, n) => {
    expect(sleepLoop(await contextOf(events, duration))).toHaveLength(n);
  });

  it('works from the aggregate alone', async () => {
    expect(sleepLoop(await contextWithoutFacts(sleeps(200), 1e9))).toHaveLength(1);
  });
});
