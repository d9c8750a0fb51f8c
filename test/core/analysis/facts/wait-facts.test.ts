import { describe, expect, it } from 'vitest';
import { FUTEX_LONG_WAIT_NS, ZERO_TIMEOUT_MAX_NS } from '../../../../src/core/analysis/facts/wait-facts.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { call, factsOf, spaced, times } from '../events.js';

const FUTEX_PRIVATE = 128;

describe('wait facts', () => {
  it.each<[string, SyscallEvent, number, number]>([
    ['epoll_wait timeout 0, nothing', call('epoll_wait', [4, 0, 64, 0], 0), 1, 0],
    ['epoll_wait timeout 0, events', call('epoll_wait', [4, 0, 64, 0], 2), 0, 0],
    ['epoll_wait timeout 10 ms, nothing', call('epoll_wait', [4, 0, 64, 10], 0, { durationNs: 10_050_000 }), 0, 0],
    ['epoll_pwait timeout 0', call('epoll_pwait', [4, 0, 64, 0, 0], 0), 1, 0],
    ['poll timeout 0 (arg 2)', call('poll', [0, 2, 0], 0), 1, 0],
    ['poll infinite', call('poll', [0, 2, -1], 0, { durationNs: 5_000 }), 0, 0],
    ['select back at once: inferred', call('select', [5, 0, 0, 0, 0x7ffd0000], 0, { durationNs: 2_000 }), 1, 1],
    ['select after its timeout', call('select', [5, 0, 0, 0, 0x7ffd0000], 0, { durationNs: ZERO_TIMEOUT_MAX_NS + 1 }), 0, 0],
    ['ppoll back at once: inferred', call('ppoll', [0, 1, 0x7ffd0000, 0], 0, { durationNs: 900 }), 1, 1],
  ])('%s', async (_name, event, empty, inferred) => {
    const [p] = (await factsOf([event])).waits.polls;
    expect(p).toMatchObject({ calls: 1, emptyZeroTimeout: empty, inferred });
  });

  it('sums the spinning span per thread', async () => {
    // thread 100: polls at 0, 1, 2 ms (1 us each); thread 101: one poll
    const events = [...spaced(times(3, () => call('epoll_wait', [4, 0, 64, 0], 0))), call('epoll_wait', [4, 0, 64, 0], 0, { tid: 101, startNs: 0 })];
    const [p] = (await factsOf(events)).waits.polls;
    expect(p).toMatchObject({ emptyZeroTimeout: 4, emptyZeroTimeoutNs: 4_000, threads: 2, spinSpanNs: 2_001_000 + 1_000 });
  });

  it('spans each thread once over all poll syscalls', async () => {
    // thread 100: epoll_wait at 0 and 2 ms, poll at 1 ms (1 us each); thread 101: one poll at 5 ms
    const events = [
      ...spaced([call('epoll_wait', [4, 0, 64, 0], 0), call('poll', [0, 1, 0], 0), call('epoll_wait', [4, 0, 64, 0], 0)]),
      call('poll', [0, 1, 0], 0, { tid: 101, startNs: 5_000_000 }),
    ];
    const w = (await factsOf(events)).waits;
    expect(w.spin).toEqual({ spanNs: 2_001_000 + 1_000, threads: 2 });
    expect(w.polls.map((p) => [p.syscall, p.spinSpanNs, p.threads])).toEqual([['epoll_wait', 2_001_000, 1], ['poll', 1_000 + 1_000, 2]]);
  });

  it('tells futex waits from wakes by the op (masked 0x7f), long waits by FUTEX_LONG_WAIT_NS, per address', async () => {
    const events = [
      call('futex', [0x1000, 0 | FUTEX_PRIVATE, 1, 0], 0, { durationNs: FUTEX_LONG_WAIT_NS, tid: 101 }),
      call('futex', [0x1000, 9 | FUTEX_PRIVATE, 1, 0, 0, -1], 0, { durationNs: 500_000, tid: 102 }),
      call('futex', [0x1000, 0, 1, 0], -11, { durationNs: 900, tid: 103 }),
      call('futex', [0x2000, 0, 1, 0x7ffd0000], -110, { durationNs: 2_000_000, tid: 104 }),
      call('futex', [0x1000, 1 | FUTEX_PRIVATE, 1], 1, { durationNs: 700 }),
      call('futex', [0x1000, 10, 1], 0, { durationNs: 700 }),
      // FUTEX_REQUEUE (3): neither
      call('futex', [0x1000, 3, 1], 0, { durationNs: 700 }),
    ];
    const f = (await factsOf(events)).waits.futex;
    expect(f).toMatchObject({ waits: 4, waitNs: 2_600_900, longWaits: 2, longWaitNs: 600_000, timedOut: 1, wakes: 2, longWaitThreads: 2 });
    expect(f.addresses[0]).toEqual({ pid: 100, address: '0x1000', waits: 3, waitNs: 600_900, longWaits: 2, longWaitNs: 600_000, threads: 3 });
  });

  it("leaves thread joins out of the long waits: a shared wait expecting an exited thread's id", async () => {
    const events = [
      // workers 101 and 102 contend on a private lock word
      call('futex', [0x1000, 0 | FUTEX_PRIVATE, 2, 0], 0, { durationNs: 300_000, tid: 101 }),
      call('futex', [0x1000, 0 | FUTEX_PRIVATE, 2, 0], 0, { durationNs: 400_000, tid: 102 }),
      // main (100) joins 101: waits on 101's id word, expecting 101, until 101 exits
      call('futex', [0x7000, 9, 101, 0, 0, -1], 0, { durationNs: 5_000_000, tid: 100 }),
      call('exit', [0], 0, { tid: 101, durationNs: 0 }),
      // the same shape expecting a thread that never exits here: kept (a process-shared lock, say)
      call('futex', [0x8000, 0, 555, 0], 0, { durationNs: 700_000, tid: 102 }),
      // private, or expecting the waiter's own id: kept
      call('futex', [0x9000, 0 | FUTEX_PRIVATE, 101, 0], 0, { durationNs: 200_000, tid: 103 }),
    ];
    const f = (await factsOf(events)).waits.futex;
    expect(f).toMatchObject({ waits: 5, longWaits: 4, longWaitNs: 1_600_000, joins: 1, joinNs: 5_000_000, longWaitThreads: 3 });
    expect(f.addresses.find((a) => a.address === '0x7000')).toMatchObject({ waits: 1, longWaits: 0, longWaitNs: 0 });
    // the join counted nowhere as a long wait: its word sorts last
    expect(f.addresses[0]!.address).toBe('0x1000');
  });

  it("counts the joining thread when it also waits on a lock", async () => {
    const events = [
      call('futex', [0x1000, 0 | FUTEX_PRIVATE, 2, 0], 0, { durationNs: 300_000, tid: 100 }),
      call('futex', [0x7000, 9, 101, 0, 0, -1], 0, { durationNs: 5_000_000, tid: 100 }),
      call('exit', [0], 0, { tid: 101 }),
    ];
    expect((await factsOf(events)).waits.futex).toMatchObject({ longWaits: 1, joins: 1, longWaitThreads: 1 });
  });
});
