import { describe, expect, it } from 'vitest';
import { categoryTimes, workingNs } from '../../../src/core/analysis/category-times.js';
import { aggregateOf, callsOf, eventOf } from '../../helpers/offline.js';

describe('categoryTimes', () => {
  it('splits time by category, shares over non-waiting time, marks the bottleneck, waiting last', async () => {
    const agg = await aggregateOf([
      ...callsOf('fsync', [700]),
      ...callsOf('read', [100, 100], { path: '/db' }),
      eventOf({ syscall: 'read', durationNs: 50, path: 'socket:[1]' }),
      ...callsOf('epoll_wait', [10_000]),
      ...callsOf('getpid', [50]),
    ]);
    const times = categoryTimes(agg);
    expect(times).toEqual([
      { category: 'sync', waiting: false, calls: 1, totalNs: 700, share: 0.7, bottleneck: true, syscalls: ['fsync'], offCpuNs: null, runqNs: null },
      { category: 'disk-read', waiting: false, calls: 2, totalNs: 200, share: 0.2, bottleneck: false, syscalls: ['read'], offCpuNs: null, runqNs: null },
      { category: 'network', waiting: false, calls: 1, totalNs: 50, share: 0.05, bottleneck: false, syscalls: ['read'], offCpuNs: null, runqNs: null },
      { category: 'other', waiting: false, calls: 1, totalNs: 50, share: 0.05, bottleneck: false, syscalls: ['getpid'], offCpuNs: null, runqNs: null },
      { category: 'wait', waiting: true, calls: 1, totalNs: 10_000, share: null, bottleneck: false, syscalls: ['epoll_wait'], offCpuNs: null, runqNs: null },
    ]);
    expect(workingNs(times)).toBe(1000);
  });

  it('has no bottleneck and no shares when all time is waiting', async () => {
    const times = categoryTimes(await aggregateOf(callsOf('futex', [5, 5])));
    expect(times).toEqual([{ category: 'wait', waiting: true, calls: 2, totalNs: 10, share: null, bottleneck: false, syscalls: ['futex'], offCpuNs: null, runqNs: null }]);
  });

  it('has no bottleneck when the non-waiting calls took 0 ns', async () => {
    const times = categoryTimes(await aggregateOf(callsOf('getpid', [0])));
    expect(times[0]).toMatchObject({ category: 'other', share: null, bottleneck: false });
  });

  it('is empty for an empty capture', async () => {
    expect(categoryTimes(await aggregateOf([]))).toEqual([]);
  });
});
