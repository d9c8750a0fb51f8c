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
    expect(f).toMatchObject({ rule: 'sleep-loop', syscall: 'nanosleep', title: 'Sleep loop: 200 short nanosleep() calls' });
    // the cheapest syscall with 10+ calls: getpid at 300 ns
    expect(f!.savingNs).toBe(200 * 300);
  });

  it.each<[string, SyscallEvent[], number, string]>([
    // a sleep's own latency is the wait, not a round trip; nor is any other waiting call's
    ['only sleeps: no round trip measured', sleeps(200), 0, 'Each wake-up costs at least a kernel round trip, which no other syscall here measured'],
    ['waiting calls are no round trip', [...sleeps(200), ...callsOf('futex', Array<number>(50).fill(100))], 0, 'Each wake-up costs at least a kernel round trip, which no other syscall here measured'],
    // with no syscall called 10 times, the cheapest of the few calls there are
    ['a few cold calls', [...sleeps(200), ...callsOf('close', [900]), ...callsOf('brk', [1_500, 1_500])], 200 * 900, 'Each wake-up costs at least a kernel round trip, 900 ns here'],
    ['the settled figure first', [...sleeps(200), ...callsOf('close', [200]), ...getpids], 200 * 300, 'Each wake-up costs at least a kernel round trip, 300 ns here'],
  ])('round trip: %s', async (_name, events, saving, evidence) => {
    const [f] = sleepLoop(await contextOf(events, 1e9));
    expect(f!.savingNs).toBe(saving);
    expect(f!.evidence[1]).toBe(evidence);
  });

  it('with off-CPU times, saving: the on-CPU part of the sleeps', async () => {
    const [f] = sleepLoop(await contextOf(sleeps(200, 60_000, { offCpuNs: 55_000 }), 1e9));
    expect(f!.savingNs).toBe(200 * 5_000);
    expect(f!.evidence[1]).toBe('1.0 ms of that on the CPU: 5.0 µs per wake-up');
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
