import { describe, expect, it } from 'vitest';
import { findingContext } from '../../../../src/core/analysis/findings.js';
import { dominantSyscall } from '../../../../src/core/analysis/rules/dominant-syscall.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { aggregateOf, callsOf } from '../../../helpers/offline.js';

async function run(events: SyscallEvent[], durationNs: number | null = 60e9) {
  return dominantSyscall(findingContext(await aggregateOf(events), durationNs));
}

// 2,341 fsyncs: most take 15 ms, 1% take 127 ms
const FSYNCS = Array.from({ length: 2341 }, (_, i) => (i % 100 === 0 ? 127_000_000 : 15_000_000));

describe('dominantSyscall', () => {
  it('reports the syscall with most non-waiting time, with rate, average and tail', async () => {
    const [f] = await run([...callsOf('fsync', FSYNCS), ...callsOf('read', Array(1000).fill(5_000_000)), ...callsOf('epoll_wait', [500e9])]);
    expect(f).toEqual({
      rule: 'dominant-syscall',
      syscall: 'fsync',
      subject: { category: 'sync' },
      metrics: {
        share: expect.closeTo(0.88, 2),
        calls: 2341,
        callsPerSec: 2341 / 60,
        avgNs: expect.closeTo(16.1e6, -5),
        totalNs: expect.closeTo(37.8e9, -8),
        p50Ns: expect.closeTo(15e6, -5),
        p99Ns: expect.closeTo(127e6, -6),
        tailRatio: expect.closeTo(8.5, 0),
        tailSpikes: true,
        estimated: false,
      },
      // it points where to look, it does not claim a saving
      severity: 'info',
      savingNs: 0,
      savingShare: 0,
    });
  });

  // expected: the syscall, its share of non-waiting time, its calls and their rate (null: no finding)
  it.each<[string, SyscallEvent[], number | null, [string, number, Record<string, unknown>?] | null]>([
    ['no calls', [], 60e9, null],
    ['only waiting', callsOf('futex', [1e9]), 60e9, null],
    ['no syscall at 30%', [...callsOf('read', [29]), ...callsOf('write', [25]), ...callsOf('openat', [25]), ...callsOf('close', [21])], null, null],
    ['exactly 30%', [...callsOf('read', [30]), ...callsOf('write', [25]), ...callsOf('openat', [25]), ...callsOf('close', [10, 10])], null, ['read', 0.3]],
    // a pure-CPU run: the syscall dominates the syscalls, not the run
    ['under 5% of wall time', callsOf('getpid', Array(50).fill(300)), 1e6, null],
    ['at 5% of wall time', callsOf('getpid', Array(50).fill(300)), 300_000, ['getpid', 1]],
    [
      'tail spikes (p99 >= 5x median)',
      callsOf('fsync', Array.from({ length: 100 }, (_, i) => (i >= 98 ? 100_000_000 : 1_000_000))),
      1e9,
      ['fsync', 1, { calls: 100, callsPerSec: 100, totalNs: 298e6, tailSpikes: true }],
    ],
    // one execve is what starting the command costs: the next syscall is the finding
    ['a lone execve', [...callsOf('execve', [900_000]), ...callsOf('read', [300_000, 300_000])], 2e6, ['read', 0.4]],
    ['only execves, few', callsOf('execve', [900_000, 800_000]), 2e6, null],
    // a build spawning compilers: exec is the hot path
    ['ten execves', callsOf('execve', Array(10).fill(900_000)), 20e6, ['execve', 1]],
    ['unknown duration: no rate', callsOf('fsync', [1000]), null, ['fsync', 1, { calls: 1, callsPerSec: null }]],
    ['zero duration: no rate', callsOf('fsync', [1000]), 0, ['fsync', 1, { calls: 1, callsPerSec: null }]],
  ])('%s', async (_name, events, duration, expected) => {
    const found = await run(events, duration);
    if (expected === null) expect(found).toEqual([]);
    else {
      const [syscall, share, metrics = {}] = expected;
      expect(found[0]!.syscall).toBe(syscall);
      expect(found[0]!.metrics.share).toBeCloseTo(share, 9);
      expect(found[0]!.metrics).toMatchObject(metrics);
    }
  });
});
