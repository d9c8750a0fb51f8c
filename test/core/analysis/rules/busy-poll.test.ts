import { describe, expect, it } from 'vitest';
import { busyPoll, BUSY_POLL_MIN_CALLS } from '../../../../src/core/analysis/rules/busy-poll.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { call, contextOf, contextWithoutFacts, spaced, times } from '../events.js';

// n empty zero-timeout epoll_waits of 1 us, stepNs apart
const spin = (n: number, stepNs = 10_000): SyscallEvent[] => spaced(times(n, () => call('epoll_wait', [4, 0, 64, 0], 0, { durationNs: 1_000 })), stepNs);
const busy = (n: number): SyscallEvent[] => times(n, () => call('epoll_wait', [4, 0, 64, 0], 3, { durationNs: 1_000 }));

describe('busyPoll', () => {
  it('fires for zero-timeout polls in a loop; saving: the time spent spinning', async () => {
    const [f, ...rest] = busyPoll(await contextOf(spin(200), 1e9));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'busy-poll', syscall: 'epoll_wait' });
    // first start 0, last end 199 * 10 us + 1 us
    expect(f!.savingNs).toBe(199 * 10_000 + 1_000);
    expect(f!.metrics).toMatchObject({ emptyPolls: 200, polls: 200, emptyShare: 1, inferred: 0, threads: 1 });
    expect(f!.subject.spinning).toEqual([{ syscall: 'epoll_wait', emptyPolls: 200 }]);
  });

  it('counts a loop spinning on two poll syscalls once: one thread, one span', async () => {
    // epoll_wait at 0, 10, 20 ... us, poll 5 us after each, in one thread
    const loop = spaced(times(150, () => [call('epoll_wait', [4, 0, 64, 0], 0, { durationNs: 1_000 }), call('poll', [0, 1, 0], 0, { durationNs: 1_000 })]), 5_000);
    const [f, ...rest] = busyPoll(await contextOf(loop, 1e9));
    expect(rest).toEqual([]);
    expect(f!.subject.spinning).toEqual([
      { syscall: 'epoll_wait', emptyPolls: 150 },
      { syscall: 'poll', emptyPolls: 150 },
    ]);
    expect(f!.metrics.emptyPolls).toBe(300);
    // first epoll_wait at 0, last poll at 299 * 5 us, 1 us long
    expect(f!.savingNs).toBe(299 * 5_000 + 1_000);
    expect(f!.metrics).toMatchObject({ spinNs: 299 * 5_000 + 1_000, threads: 1 });
  });

  it.each<[string, SyscallEvent[], number]>([
    ['99 empty polls', spin(BUSY_POLL_MIN_CALLS - 1), 0],
    ['100 empty polls', spin(BUSY_POLL_MIN_CALLS), 1],
    ['under half empty', [...spin(100), ...busy(101)], 0],
    ['half empty', [...spin(100), ...busy(100)], 1],
    // 200 calls over 199 steps + 1 us: 1,010 us steps are under 1,000 per second, 990 us over
    ['under 1,000 per second', spin(200, 1_010_000), 0],
    ['over 1,000 per second', spin(200, 990_000), 1],
    ['blocking polls with a timeout', times(300, () => call('epoll_wait', [4, 0, 64, 100], 0, { durationNs: 100_000_000 })), 0],
    ['select returning at once', spaced(times(150, () => call('select', [5, 0, 0, 0, 0x7ffd0000], 0, { durationNs: 900 })), 5_000), 1],
  ])('%s', async (_name, events, n) => {
    expect(busyPoll(await contextOf(events, 1e9))).toHaveLength(n);
  });

  it('stays quiet without per-call facts', async () => {
    expect(busyPoll(await contextWithoutFacts(spin(500), 1e9))).toEqual([]);
  });
});
