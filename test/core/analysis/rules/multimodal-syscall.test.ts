import { describe, expect, it } from 'vitest';
import { findingContext } from '../../../../src/core/analysis/findings.js';
import { findModes } from '../../../../src/core/analysis/modes.js';
import { multimodalSyscalls } from '../../../../src/core/analysis/rules/multimodal-syscall.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { aggregateOf, callsOf, logNormal } from '../../../helpers/offline.js';

const CACHED_AND_DISK = [...logNormal(9_500, 20_000, 0.4, 1), ...logNormal(500, 3_000_000, 0.3, 2)];

async function run(events: SyscallEvent[]) {
  return multimodalSyscalls(findingContext(await aggregateOf(events), 10e9));
}

describe('multimodalSyscalls', () => {
  it('reports a bimodal read with the share and range of each mode', async () => {
    const agg = await aggregateOf(callsOf('read', CACHED_AND_DISK));
    const [fast, slow] = findModes(agg.syscalls[0]!.distribution).modes;
    expect(await run(callsOf('read', CACHED_AND_DISK))).toEqual([
      {
        rule: 'multimodal-syscall',
        syscall: 'read',
        subject: { modes: [fast, slow], labels: ['cache', 'disk'], category: 'disk-read' },
        metrics: { modeCount: 2 },
        // the slow calls as fast as the fast cluster's peak
        savingNs: slow!.count * (slow!.peakNs - fast!.peakNs),
        savingShare: (slow!.count * (slow!.peakNs - fast!.peakNs)) / 10e9,
        severity: 'critical',
      },
    ]);
  });

  // expected: [syscall, modes] of each finding
  it.each<[string, SyscallEvent[], [string, number][]]>([
    ['empty', [], []],
    ['unimodal', callsOf('read', logNormal(5_000, 20_000, 0.5, 3)), []],
    // 10,000 calls of 1 or 100 us: 505 ms, 5% of 10 s; 100 of them (5 ms) are under 1%
    ['over 1% of wall time', callsOf('getpid', Array.from({ length: 10_000 }, (_, i) => (i % 2 === 0 ? 1_000 : 100_000))), [['getpid', 2]]],
    ['under 1% of wall time', callsOf('getpid', Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 1_000 : 100_000))), []],
    ['trimodal', callsOf('write', [...logNormal(6_000, 2_000, 0.3, 7), ...logNormal(3_000, 200_000, 0.3, 8), ...logNormal(1_000, 20_000_000, 0.3, 9)]), [['write', 3]]],
    // how long a wait lasts is how long nothing happened: never a finding
    ['a bimodal epoll_wait (an event loop, busy then idle)', callsOf('epoll_wait', CACHED_AND_DISK), []],
    ['a bimodal clock_nanosleep', callsOf('clock_nanosleep', CACHED_AND_DISK), []],
    ['waits do not push working calls out of the top 5', [...['epoll_wait', 'futex', 'wait4', 'poll', 'nanosleep'].flatMap((n) => callsOf(n, [1e10])), ...callsOf('read', CACHED_AND_DISK)], [['read', 2]]],
    [
      'only among the 5 syscalls with the most time',
      [...['a', 'b', 'c', 'd', 'e'].flatMap((n) => callsOf(n, [1e10])), ...callsOf('read', CACHED_AND_DISK)],
      [],
    ],
  ])('%s', async (_name, events, expected) => {
    expect((await run(events)).map((f) => [f.syscall, f.metrics.modeCount])).toEqual(expected);
  });

  it('leaves alone calls that waited for a CPU, or for the other end of a pipe', async () => {
    // the slow cluster runnable, not blocked: a busy CPU, not the disk
    const starved = callsOf('read', CACHED_AND_DISK).map((e) => (e.durationNs > 100_000 ? { ...e, offCpuNs: e.durationNs, runqNs: e.durationNs * 0.95 } : { ...e, offCpuNs: 0, runqNs: 0 }));
    expect(await run(starved)).toEqual([]);
    // the same calls blocked (a disk): a finding
    const blocked = callsOf('read', CACHED_AND_DISK).map((e) => (e.durationNs > 100_000 ? { ...e, offCpuNs: e.durationNs, runqNs: e.durationNs * 0.05 } : { ...e, offCpuNs: 0, runqNs: 0 }));
    expect((await run(blocked)).map((f) => f.syscall)).toEqual(['read']);
    // writes blocked on a pipe wait for its reader
    expect(await run(callsOf('write', CACHED_AND_DISK, { path: 'pipe:[12]' }))).toEqual([]);
  });

  it('says nothing of opens that mix creating files with looking them up (cp -r)', async () => {
    // 300 lookups of 3 us, 300 creates (O_CREAT) of 60 us: two operations, not two modes of one
    const events = [
      ...callsOf('openat', Array<number>(300).fill(3_000), { args: [BigInt(-100), 0n, 0n] }),
      ...callsOf('openat', Array<number>(300).fill(60_000), { args: [BigInt(-100), 0n, BigInt(0o100 | 1)] }),
    ];
    const { aggregateEventsWithFacts } = await import('../../../../src/core/analysis/aggregate-events.js');
    const { batchesOf } = await import('../../../../src/core/model/events.js');
    const { aggregate, facts } = await aggregateEventsWithFacts(batchesOf(events));
    expect(facts.opens).toEqual({ calls: 600, creates: 300 });
    expect(multimodalSyscalls(findingContext(aggregate, 1e9, facts))).toEqual([]);
    // the same latencies without O_CREAT: a finding
    const plain = await aggregateEventsWithFacts(batchesOf(events.map((e) => ({ ...e, args: [BigInt(-100), 0n, 0n] }))));
    expect(multimodalSyscalls(findingContext(plain.aggregate, 1e9, plain.facts)).map((f) => f.syscall)).toEqual(['openat']);
  });

  it('says nothing of vfork or clone: they return once the child has exec\'d', async () => {
    expect(await run(callsOf('vfork', CACHED_AND_DISK))).toEqual([]);
    expect(await run(callsOf('clone3', CACHED_AND_DISK))).toEqual([]);
  });
});
