import { describe, expect, it } from 'vitest';
import { syncDominant, SYNC_BATCH, SYNC_DOMINANT_SHARE, SYNC_MIN_CALLS } from '../../../../src/core/analysis/rules/sync-dominant.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { callsOf } from '../../../helpers/offline.js';
import { contextOf, contextWithoutFacts } from '../events.js';

const fsyncs = (n: number, ns: number): SyscallEvent[] => callsOf('fsync', Array<number>(n).fill(ns), { path: '/db/wal' });
const writes = (n: number, ns: number): SyscallEvent[] => callsOf('write', Array<number>(n).fill(ns), { path: '/db/wal', ret: 100 });

describe('syncDominant', () => {
  it('fires when fsync dominates, saving (1 - 1/8) of the sync time', async () => {
    const [f, ...rest] = syncDominant(await contextOf([...fsyncs(10, 10_000_000), ...writes(10, 10_000)], 1e9));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'sync-dominant', syscall: 'fsync', severity: 'warning' });
    // 10 x 10 ms = 100 ms of fsync; a batch of 8 keeps 1 in 8
    expect(f!.savingNs).toBeCloseTo(100e6 * (1 - 1 / SYNC_BATCH), 3);
    expect(f!.savingShare).toBeCloseTo(0.0875, 12);
    expect(f!.subject.syscalls).toEqual(['fsync']);
    expect(f!.metrics).toMatchObject({ calls: 10, totalNs: 100e6, wallShare: 0.1, writes: 10, batch: 8 });
    expect(f!.metrics.share).toBeCloseTo(100e6 / (100e6 + 10 * 10_000), 12);
  });

  it('batches no more syncs than there are: 5 calls save 4/5', async () => {
    const [f] = syncDominant(await contextOf(fsyncs(SYNC_MIN_CALLS, 2_000_000), null));
    expect(f!.savingNs).toBeCloseTo(10e6 * (4 / 5), 3);
    expect(f!.savingShare).toBeNull();
  });

  it.each<[string, SyscallEvent[], number | null, boolean]>([
    ['fewer than 5 calls', fsyncs(SYNC_MIN_CALLS - 1, 10_000_000), 1e9, false],
    ['exactly 5 calls', fsyncs(SYNC_MIN_CALLS, 10_000_000), 1e9, true],
    // 30% of the non-waiting time is enough, just under is not
    ['share just under 30%', [...fsyncs(5, 5_999), ...callsOf('getpid', [70_005])], null, false],
    ['share at 30%', [...fsyncs(5, 6_000), ...callsOf('getpid', [70_000])], null, true],
    ['under 5% of wall time', fsyncs(10, 4_999_000), 1e9, false],
    ['at 5% of wall time', fsyncs(10, 5_000_000), 1e9, true],
    ['buffered writes, no sync', writes(1000, 5_000), 1e9, false],
    ['fdatasync counts too', callsOf('fdatasync', Array<number>(5).fill(10_000_000)), 1e9, true],
    ['empty', [], 1e9, false],
  ])('%s', async (_name, events, durationNs, fires) => {
    expect(syncDominant(await contextOf(events, durationNs)).length).toBe(fires ? 1 : 0);
  });

  it('works from the aggregate alone', async () => {
    expect(syncDominant(await contextWithoutFacts(fsyncs(10, 10_000_000), 1e9))).toHaveLength(1);
    expect(SYNC_DOMINANT_SHARE).toBe(0.3);
  });
});
