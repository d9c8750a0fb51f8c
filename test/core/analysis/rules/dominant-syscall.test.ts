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
      title: 'fsync() dominates latency (88% of non-waiting time)',
      evidence: ['Called 2,341 times (39 per second)', 'Each call takes 16.1 ms on average, 37.8 s in all', 'p99: 127 ms, 8x the median (15.0 ms): tail latency spikes'],
      recommendation: ['Batch writes before fsync (group commit)', 'Use fdatasync where file metadata need not be durable', 'Review whether every fsync is necessary'],
      why: 'Time spent in one syscall is where shortening or avoiding calls pays off most.',
      // it points where to look, it does not claim a saving
      severity: 'info',
      savingNs: 0,
      savingShare: 0,
    });
  });

  it.each<[string, SyscallEvent[], number | null, string[] | null]>([
    ['no calls', [], 60e9, null],
    ['only waiting', callsOf('futex', [1e9]), 60e9, null],
    ['no syscall at 30%', [...callsOf('read', [29]), ...callsOf('write', [25]), ...callsOf('openat', [25]), ...callsOf('close', [21])], null, null],
    ['exactly 30%', [...callsOf('read', [30]), ...callsOf('write', [25]), ...callsOf('openat', [25]), ...callsOf('close', [10, 10])], null, ['read() dominates latency (30% of non-waiting time)']],
    // a pure-CPU run: the syscall dominates the syscalls, not the run
    ['under 5% of wall time', callsOf('getpid', Array(50).fill(300)), 1e6, null],
    ['at 5% of wall time', callsOf('getpid', Array(50).fill(300)), 300_000, ['getpid() dominates latency (100% of non-waiting time)']],
    [
      'tail spikes (p99 >= 5x median)',
      callsOf('fsync', Array.from({ length: 100 }, (_, i) => (i >= 98 ? 100_000_000 : 1_000_000))),
      1e9,
      ['fsync() dominates latency (100% of non-waiting time)', 'Called 100 times (100 per second)', 'Each call takes 3.0 ms on average, 298 ms in all', 'p99: 100 ms, 100x the median (1.0 ms): tail latency spikes'],
    ],
    // one execve is what starting the command costs: the next syscall is the finding
    ['a lone execve', [...callsOf('execve', [900_000]), ...callsOf('read', [300_000, 300_000])], 2e6, ['read() dominates latency (40% of non-waiting time)']],
    ['only execves, few', callsOf('execve', [900_000, 800_000]), 2e6, null],
    // a build spawning compilers: exec is the hot path
    ['ten execves', callsOf('execve', Array(10).fill(900_000)), 20e6, ['execve() dominates latency (100% of non-waiting time)']],
    ['unknown duration: no rate', callsOf('fsync', [1000]), null, ['fsync() dominates latency (100% of non-waiting time)', 'Called once']],
    ['zero duration: no rate', callsOf('fsync', [1000]), 0, ['fsync() dominates latency (100% of non-waiting time)', 'Called once']],
  ])('%s', async (_name, events, duration, expected) => {
    const found = await run(events, duration);
    if (expected === null) expect(found).toEqual([]);
    else expect([found[0]!.title, ...found[0]!.evidence].slice(0, expected.length)).toEqual(expected);
  });
});
