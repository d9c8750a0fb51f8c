import { describe, expect, it } from 'vitest';
import { memoryChurn, MEMORY_CHURN_MIN_CALLS } from '../../../../src/core/analysis/rules/memory-churn.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { call, contextOf, contextWithoutFacts, times } from '../events.js';

const MAP_PRIVATE_ANON = 0x22;
// n map/unmap pairs of 1 MiB, 5 us each call
const churn = (pairs: number): SyscallEvent[] =>
  times(pairs, () => [call('mmap', [0, 1 << 20, 3, MAP_PRIVATE_ANON, -1, 0], 0x7f0000000000, { durationNs: 5_000 }), call('munmap', [0x7f0000000000, 1 << 20], 0, { durationNs: 5_000 })]);

describe('memoryChurn', () => {
  it('fires for map/unmap churn; saving: churn time * (1 - 2/calls)', async () => {
    const [f, ...rest] = memoryChurn(await contextOf(churn(100), 1e9));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'memory-churn', metrics: { calls: 200 } });
    // about every churn syscall it saw: the one with most time, and the others
    expect([f!.syscall, ...f!.alsoAbout!].sort()).toEqual(['mmap', 'munmap']);
    expect(f!.savingNs).toBeCloseTo(1e6 * (1 - 2 / 200), 6);
    expect(f!.subject.parts).toEqual([
      { syscall: 'mmap', calls: 100 },
      { syscall: 'munmap', calls: 100 },
    ]);
    expect(f!.metrics).toEqual({ calls: 200, callsPerSec: 200, totalNs: 1e6, wallShare: 0.001, anonymousMmaps: 100, fileMmaps: 0 });
  });

  it.each<[string, SyscallEvent[], number, number]>([
    ['199 calls', churn(MEMORY_CHURN_MIN_CALLS / 2).slice(1), 1e9, 0],
    ['200 calls', churn(100), 1e9, 1],
    ['under 100 per second', churn(100), 2.01e9, 0],
    ['brk counts too', times(250, () => call('brk', [0], 0x5000, { durationNs: 800 })), 1e9, 1],
    ['unknown wall time: by count', churn(100), 0, 1],
  ])('%s', async (_name, events, duration, n) => {
    expect(memoryChurn(await contextOf(events, duration || null))).toHaveLength(n);
  });

  it('works from the aggregate alone', async () => {
    const [f] = memoryChurn(await contextWithoutFacts(churn(100), 1e9));
    expect(f!.metrics).toMatchObject({ anonymousMmaps: null, fileMmaps: null });
  });
});
