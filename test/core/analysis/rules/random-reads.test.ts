import { describe, expect, it } from 'vitest';
import { randomReads, RANDOM_LARGE_FILE_BYTES, RANDOM_MIN_READS } from '../../../../src/core/analysis/rules/random-reads.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { contextOf, contextWithoutFacts, pread, times } from '../events.js';

const BLOCK = 4096;
const BIG = { path: '/data/big.db' };
// n reads jumping around a file reaching `extent` bytes, each taking ns
const random = (n: number, extent: number, ns: number): SyscallEvent[] =>
  times(n, (i) => pread(3, (((i * 7919) % 997) * (extent - BLOCK)) / 996 - ((((i * 7919) % 997) * (extent - BLOCK)) / 996) % BLOCK, BLOCK, { ...BIG, durationNs: ns }));
// cached sequential reads of another file: the fast latency mode
const cached = (n: number): SyscallEvent[] => times(n, (i) => pread(4, i * BLOCK, BLOCK, { path: '/data/small', durationNs: 2_000 }));

describe('randomReads', () => {
  it('fires for random reads on a large file; saving: random time - count * cached-read peak', async () => {
    const ctx = await contextOf([...cached(400), ...random(100, 64 * 1024 * 1024, 200_000)], 1e9);
    const [f, ...rest] = randomReads(ctx);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'random-reads', syscall: 'pread64', subject: { path: '/data/big.db' } });
    const file = ctx.facts!.files.rows.find((r) => r.path === '/data/big.db')!;
    const randomCount = file.reads.comparedOps - file.reads.sequentialOps;
    expect(randomCount).toBe(99);
    const fastPeak = ctx.modes('pread64').modes[0]!.peakNs;
    expect(fastPeak).toBeLessThan(3_000);
    expect(f!.savingNs).toBeCloseTo(99 * 200_000 - 99 * fastPeak, 6);
    expect(f!.metrics).toMatchObject({ randomReads: 99, comparedReads: 99, randomNs: 99 * 200_000, cachedReadNs: fastPeak, avgBytes: 4096 });
  });

  it('claims no saving when the random reads are as fast as cached ones', async () => {
    const [f] = randomReads(await contextOf(random(100, 64 * 1024 * 1024, 2_000), 1e9));
    expect(f!.savingNs).toBeLessThan(99 * 2_000 * 0.2);
  });

  it.each<[string, SyscallEvent[], number]>([
    ['49 compared reads', random(RANDOM_MIN_READS, 64 << 20, 100_000), 0],
    ['50 compared reads', random(RANDOM_MIN_READS + 1, 64 << 20, 100_000), 1],
    ['a small file', random(200, RANDOM_LARGE_FILE_BYTES - 2 * BLOCK, 100_000), 0],
    ['sequential reads of a large file', times(2000, (i) => pread(3, i * BLOCK, BLOCK, { ...BIG, durationNs: 100_000 })), 0],
  ])('%s', async (_name, events, n) => {
    expect(randomReads(await contextOf(events, 1e9))).toHaveLength(n);
  });

  it('stays quiet without per-call facts', async () => {
    expect(randomReads(await contextWithoutFacts(random(200, 64 << 20, 100_000), 1e9))).toEqual([]);
  });
});
