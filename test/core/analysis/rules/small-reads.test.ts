import { describe, expect, it } from 'vitest';
import { smallReads, SMALL_READS_MIN_CALLS } from '../../../../src/core/analysis/rules/small-reads.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { contextOf, contextWithoutFacts, read, times } from '../events.js';

const small = (n: number): SyscallEvent[] => times(n, (i) => read(3, i * 512, 512, { durationNs: 1_500 }));
const large = (n: number): SyscallEvent[] => times(n, (i) => read(3, 1e9 + i * 65536, 65536, { durationNs: 20_000 }));

describe('smallReads', () => {
  it('fires for many small reads; saving: (count - ceil(bytes/64 KiB)) * per-call time', async () => {
    const [f, ...rest] = smallReads(await contextOf(small(300), 1e9));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'small-reads', syscall: 'read', subject: { path: '/data/file', fd: 3, pid: 100 }, metrics: { smallCalls: 300, calls: 300, avgBytes: 512 } });
    // 153,600 B = 3 reads of 64 KiB: 297 calls saved at 1.5 us
    expect(f!.savingNs).toBe(297 * 1_500);
  });

  it.each<[string, SyscallEvent[], number]>([
    ['99 small reads', small(SMALL_READS_MIN_CALLS - 1), 0],
    ['100 small reads', small(SMALL_READS_MIN_CALLS), 1],
    ['100 small of 201', [...small(100), ...large(101)], 0],
    ['100 small of 200', [...small(100), ...large(100)], 1],
    // asked for 64 KiB, the file had less: not a small buffer
    ['short reads with big buffers', times(200, (i) => read(3, i * 100, 100, {}, 65536)), 0],
    ['EAGAIN on a non-blocking socket', times(200, () => read(3, null, -11, { path: 'socket:tcp' }, 100)), 0],
    // PostgreSQL's latch: one 128 B signalfd_siginfo per read, by design
    ['reads of a signalfd, one event each', times(300, () => read(8, null, 128, { path: 'anon_inode:[signalfd]' }, 128)), 0],
  ])('%s', async (_name, events, n) => {
    expect(smallReads(await contextOf(events, 1e9))).toHaveLength(n);
  });

  it('stays quiet without per-call facts', async () => {
    expect(smallReads(await contextWithoutFacts(small(500), 1e9))).toEqual([]);
  });
});
