import { describe, expect, it } from 'vitest';
import { aggregateEventsWithFacts } from '../../../src/core/analysis/aggregate-events.js';
import { aggregateProfile } from '../../../src/core/analysis/aggregate-profile.js';
import { verdictOf, type VerdictKind } from '../../../src/core/analysis/verdict.js';
import { batchesOf, type SyscallEvent } from '../../../src/core/model/events.js';
import { callsOf } from '../../helpers/offline.js';
import { profileOf, statsOf } from '../../helpers/profile.js';
import { call } from './events.js';

async function verdict(events: SyscallEvent[], durationNs: number | null, cpuNs: number | null = null, more: { threadNs?: number; threadCount?: number; runqNs?: number } = {}) {
  const { aggregate, facts } = await aggregateEventsWithFacts(batchesOf(events));
  return verdictOf(aggregate, { durationNs, cpuNs, ...more }, facts);
}

// a futex wait of ns by thread tid
const wait = (tid: number, ns: number): SyscallEvent => call('futex', [0x5000, 128, 2, 0], 0, { tid, durationNs: ns });

describe('verdictOf', () => {
  it.each<[string, SyscallEvent[], number | null, number | null, VerdictKind]>([
    ['single thread, little syscall time: CPU-bound (estimated)', callsOf('read', [5e6, 5e6], { path: '/f' }), 1e9, null, 'cpu-bound'],
    ['fsync most of the time: I/O-bound', callsOf('fsync', [300e6, 300e6]), 1e9, null, 'io-bound'],
    ['network counts as I/O', callsOf('recvfrom', [600e6]), 1e9, null, 'io-bound'],
    ['two threads waiting on a futex: lock-bound', [wait(100, 800e6), wait(101, 800e6)], 1e9, null, 'lock-bound'],
    ['one thread on a futex is idle, not lock-bound', [wait(100, 950e6)], 1e9, null, 'idle'],
    ['epoll_wait 95% of the time: idle', callsOf('epoll_wait', [950e6]), 1e9, null, 'idle'],
    // working 10% of the time, all of it on the CPU: the work is CPU-bound, said with the idle share
    ['epoll_wait 90% of the time, the rest CPU: CPU-bound work', callsOf('epoll_wait', [900e6]), 1e9, null, 'cpu-bound'],
    // waiting is not work: fsync is 4/7 of the working time
    ['fsync 40%, sleeping 30%: I/O-bound', [...callsOf('fsync', [400e6]), ...callsOf('nanosleep', [300e6])], 1e9, null, 'io-bound'],
    ['I/O just over half the working time', [...callsOf('fsync', [460e6]), ...callsOf('nanosleep', [100e6])], 1e9, null, 'io-bound'],
    ['I/O just under 50% of the working time: CPU-bound', [...callsOf('fsync', [449e6]), ...callsOf('nanosleep', [100e6])], 1e9, null, 'cpu-bound'],
    ['CPU time given: 1.8 s of 2 threads x 1 s', [call('getpid', [], 100, { tid: 100 }), call('getpid', [], 100, { tid: 101 })], 1e9, 1.8e9, 'cpu-bound'],
    ['two threads, CPU unknown, little accounted for', [call('getpid', [], 100, { tid: 100 }), call('getpid', [], 100, { tid: 101 })], 1e9, null, 'unknown'],
    ['no wall time', callsOf('fsync', [1e6]), null, null, 'unknown'],
    ['empty, with a wall time: all CPU (estimated)', [], 1e9, null, 'cpu-bound'],
  ])('%s', async (_name, events, durationNs, cpuNs, kind) => {
    expect((await verdict(events, durationNs, cpuNs)).kind).toBe(kind);
  });

  it('gives the numbers that decided it', async () => {
    const v = await verdict([...callsOf('fsync', [600e6]), ...callsOf('epoll_wait', [100e6])], 1e9);
    expect(v).toMatchObject({ kind: 'io-bound', durationNs: 1e9, threads: 1, capacityNs: 1e9, capacityMeasured: false, cpuEstimated: true, cpu: { ns: 300e6, share: 0.3 }, io: { ns: 600e6, share: 0.6 }, idle: { ns: 100e6 }, lock: { ns: 0 } });
    expect(v.working).toEqual({ ns: 900e6, share: 0.9 });
    expect(v.largest?.part).toBe('io');
    expect(v.largest?.share).toBeCloseTo(600 / 900, 12);
    expect(v.accountedShare).toBeCloseTo(1, 12);
    expect(v.missing).toBeNull();
  });

  it('says when CPU time is measured, and works on an aggregate capture (processes as threads)', () => {
    const agg = aggregateProfile(profileOf({ durationNs: 1e9, syscalls: [statsOf('fsync', 74, [700e6])], processes: [{ tgid: 1, comm: 'db', syscalls: [statsOf('fsync', 74, [700e6])] }] }));
    const v = verdictOf(agg, { durationNs: 1e9, cpuNs: 0.2e9 }, null);
    expect(v).toMatchObject({ kind: 'io-bound', cpuEstimated: false, threads: 1, cpu: { ns: 0.2e9 } });
    expect(v.cpu).toEqual({ ns: 0.2e9, share: 0.2 });
  });

  it('weighs the threads\' measured lifetimes, not wall time x threads', async () => {
    // 40 short-lived threads (1 ms each) and one that lived the whole second, all on the CPU
    const events = Array.from({ length: 41 }, (_, i) => call('getpid', [], 0, { tid: 100 + i }));
    const v = await verdict(events, 1e9, 1.03e9, { threadNs: 1.04e9, threadCount: 41 });
    expect(v).toMatchObject({ kind: 'cpu-bound', capacityNs: 1.04e9, capacityMeasured: true, threads: 41 });
    expect(v.cpu?.share).toBeCloseTo(1.03 / 1.04, 12);
  });

  it('says mixed when no working part reaches half the working time', async () => {
    // 2 threads living 1 s each: 0.6 s in fsync, 0.6 s on the CPU, 0.4 s on a futex: 37.5%, 37.5%, 25% of the work
    const v = await verdict([call('fsync', [3], 0, { tid: 100, durationNs: 600e6 }), call('futex', [0x5000, 128, 2, 0], 0, { tid: 101, durationNs: 400e6 })], 1e9, 0.6e9, { threadNs: 2e9, threadCount: 2 });
    expect(v.kind).toBe('mixed');
  });

  it('takes a per-call capture\'s threads at their spans of calls when lifetimes were not measured', async () => {
    // the main thread's calls span the second; 3 helpers lived 10 ms each
    const events = [call('getpid', [], 0, { tid: 100, startNs: 0 }), call('getpid', [], 0, { tid: 100, startNs: 999e6 })];
    for (const tid of [101, 102, 103]) events.push(call('getpid', [], 0, { tid, startNs: 5e6 }), call('getpid', [], 0, { tid, startNs: 15e6 }));
    const v = await verdict(events, 1e9, 1e9);
    expect(v).toMatchObject({ capacitySource: 'call-spans', capacityMeasured: false, threads: 4 });
    expect(v.capacityNs! / 1.03e9).toBeCloseTo(1, 4);
  });

  it('says what is missing when the CPU time is unknown with several threads', async () => {
    const v = await verdict([call('getpid', [], 100, { tid: 100 }), call('getpid', [], 100, { tid: 101 })], 1e9);
    expect(v).toMatchObject({ kind: 'unknown', missing: 'cpu-time' });
    expect((await verdict(callsOf('fsync', [1e6]), null)).missing).toBe('wall-time');
  });

  it('counts time blocked on a pipe as waiting, and runnable time as CPU demand', async () => {
    // a writer blocked 600 ms on a full pipe, 300 ms of it runnable; 100 ms on the CPU
    const events = [call('write', [1, 0, 65536], 65536, { path: 'pipe:[77]', durationNs: 600e6, offCpuNs: 600e6, runqNs: 300e6 })];
    const v = await verdict(events, 1e9, 0.1e9);
    expect(v.idle?.ns).toBe(300e6);
    expect(v.runq?.ns).toBe(300e6);
    expect(v.io?.ns).toBe(0);
    expect(v.kind).toBe('cpu-bound');
  });

  it('takes the measured run_delay as CPU demand, outside I/O syscalls', async () => {
    // one thread of 1 s: 0.4 s on the CPU, 0.5 s runnable (measured), 0.05 s in fsync of which 0.02 s runnable
    const events = [call('fsync', [3], 0, { durationNs: 50e6, offCpuNs: 40e6, runqNs: 20e6 })];
    const v = await verdict(events, 1e9, 0.4e9, { threadNs: 1e9, threadCount: 1, runqNs: 0.5e9 });
    expect(v).toMatchObject({ kind: 'cpu-bound', runqMeasured: true });
    expect(v.runq?.ns).toBe(0.48e9);
    expect(v.io?.ns).toBe(50e6);
  });
});
