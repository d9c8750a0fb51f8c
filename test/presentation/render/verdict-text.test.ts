import { describe, expect, it } from 'vitest';
import { aggregateEventsWithFacts } from '../../../src/core/analysis/aggregate-events.js';
import { aggregateProfile } from '../../../src/core/analysis/aggregate-profile.js';
import { cpuSplit, cpuSplitSummary, type CpuSplit } from '../../../src/core/analysis/cpu-split.js';
import { verdictOf } from '../../../src/core/analysis/verdict.js';
import { batchesOf, type SyscallEvent } from '../../../src/core/model/events.js';
import { cpuSplitText, cpuSummaryText } from '../../../src/presentation/render/cpu-split-text.js';
import { verdictText } from '../../../src/presentation/render/verdict-text.js';
import { callsOf } from '../../helpers/offline.js';
import { profileOf, statsOf } from '../../helpers/profile.js';
import { call } from '../../core/analysis/events.js';

async function verdict(events: SyscallEvent[], durationNs: number | null, cpuNs: number | null = null, more: { threadNs?: number; threadCount?: number } = {}) {
  const { aggregate, facts } = await aggregateEventsWithFacts(batchesOf(events));
  return verdictText(verdictOf(aggregate, { durationNs, cpuNs, ...more }, facts));
}

describe('verdictText', () => {
  it('gives the summary and the numbers that decided it', async () => {
    const v = await verdict([...callsOf('fsync', [600e6]), ...callsOf('epoll_wait', [100e6])], 1e9);
    expect(v.summary).toBe('I/O-bound: 66.7% of the working time in I/O syscalls; 10% of thread time waiting');
    expect(v.evidence).toEqual([
      'Wall time 1.0 s x 1 thread = 1.0 s of thread time (lifetimes not measured)',
      'On the CPU outside I/O syscalls 300 ms (30%), estimated as wall time minus time in I/O, blocked or waiting in syscalls',
      'In I/O syscalls (disk sync, disk read, disk write, network, file metadata) 600 ms (60%)',
      'Lock waits (futex) 0 ns (0%)',
      'Waiting (epoll, poll, sleeps, child waits, pipes) 100 ms (10%)',
    ]);
  });

  it.each<[string, SyscallEvent[], number | null, number | null, string]>([
    // 2 threads of 1 s: 0.6 s in fsync, 0.6 s on the CPU, 0.4 s on a futex
    ['mixed', [call('fsync', [3], 0, { tid: 100, durationNs: 600e6 }), call('futex', [0x5000, 128, 2, 0], 0, { tid: 101, durationNs: 400e6 })], 1e9, 0.6e9, 'Mixed: no part reaches 50% of the working time (largest: 37.5% on the CPU)'],
    ['CPU unknown with several threads', [call('getpid', [], 100, { tid: 100 }), call('getpid', [], 100, { tid: 101 })], 1e9, null, 'Unknown: the CPU time was not measured (with several threads it cannot be estimated), and no other part reaches 50% of the working time'],
    ['lock-bound', [call('futex', [0x5000, 128, 2, 0], 0, { tid: 100, durationNs: 800e6 }), call('futex', [0x5000, 128, 2, 0], 0, { tid: 101, durationNs: 800e6 })], 1e9, null, 'Lock-bound: 88.9% of the working time waiting for locks'],
    ['idle', callsOf('epoll_wait', [950e6]), 1e9, null, 'Idle: 95% of thread time waiting for events, children or peers'],
    ['CPU-bound with few syscalls', callsOf('read', [1e6], { path: '/f' }), 1e9, 0.99e9, 'CPU-bound: 99.9% of the working time on the CPU; syscalls 0.1% of it: look at user-space code, not I/O'],
  ])('%s', async (_name, events, durationNs, cpuNs, summary) => {
    expect((await verdict(events, durationNs, cpuNs, cpuNs === 0.6e9 ? { threadNs: 2e9, threadCount: 2 } : {})).summary).toBe(summary);
  });

  it('says when CPU time and lifetimes are measured or unknown', async () => {
    const agg = aggregateProfile(profileOf({ durationNs: 1e9, syscalls: [statsOf('fsync', 74, [700e6])], processes: [{ tgid: 1, comm: 'db', syscalls: [statsOf('fsync', 74, [700e6])] }] }));
    expect(verdictText(verdictOf(agg, { durationNs: 1e9, cpuNs: 0.2e9 }, null)).evidence[1]).toBe('On the CPU outside I/O syscalls 200 ms (20%)');
    const measured = verdictText(verdictOf(agg, { durationNs: 1e9, cpuNs: 0.2e9, threadNs: 0.9e9, threadCount: 3 }, null));
    expect(measured.evidence[0]).toBe("Threads' time 900 ms: the lifetimes of 3 threads while traced (wall time 1.0 s)");
    const two = await verdict([call('getpid', [], 100, { tid: 100 }), call('getpid', [], 100, { tid: 101 })], 1e9);
    expect(two.evidence[1]).toBe('On the CPU: unknown (the capture does not say, and with several threads it cannot be estimated)');
  });

  it('says nothing but that for a capture without wall time (empty data)', async () => {
    expect(await verdict([], null)).toEqual({ summary: 'Unknown: the capture has no wall time', evidence: [] });
  });
});

const split = (name: string, total: number, off: number | null, runq: number | null): CpuSplit => cpuSplit(name, total, off, runq)!;

describe('cpuSummaryText and cpuSplitText', () => {
  it.each<[string, CpuSplit[], RegExp]>([
    ['a disk-bound capture', [split('fsync', 1000, 900, 10), split('write', 100, 0, 0)], /80\.9% blocked, 0\.9% waiting for a CPU, 18\.2% on the CPU: the time is spent waiting/],
    ['a saturated machine', [split('read', 1000, 500, 400)], /40\.0% waiting for a CPU, 50\.0% on the CPU: threads were ready to run but had no CPU/],
    ['kernel CPU work', [split('read', 1000, 100, 10)], /the kernel is busy doing the work itself/],
  ])('%s', (_name, splits, text) => {
    expect(cpuSummaryText(cpuSplitSummary(splits)!)).toMatch(text);
  });

  it('says one split in words, with or without the runnable part', () => {
    expect(cpuSplitText(split('fsync', 2.1e9, 2.0e9, 0.1e9))).toBe('of 2.1 s in fsync, 1.9 s blocked, 100 ms waiting for a CPU, 100 ms on the CPU');
    expect(cpuSplitText(split('fsync', 0, 0, null))).toBe('of 0 ns in fsync, 0 ns blocked, 0 ns on the CPU');
  });
});
