import { describe, expect, it } from 'vitest';
import { aggregateEventsWithFacts } from '../../../src/core/analysis/aggregate-events.js';
import { aggregateProfile } from '../../../src/core/analysis/aggregate-profile.js';
import { verdictOf, type VerdictKind } from '../../../src/core/analysis/verdict.js';
import { batchesOf, type SyscallEvent } from '../../../src/core/model/events.js';
import { callsOf } from '../../helpers/offline.js';
import { profileOf, statsOf } from '../../helpers/profile.js';
import { call } from './events.js';

async function verdict(events: SyscallEvent[], durationNs: number | null, cpuNs: number | null = null) {
  const { aggregate, facts } = await aggregateEventsWithFacts(batchesOf(events));
  return verdictOf(aggregate, durationNs, cpuNs, facts);
}

// a futex wait of ns by thread tid
const wait = (tid: number, ns: number): SyscallEvent => call('futex', [0x5000, 128, 2, 0], 0, { tid, durationNs: ns });

describe('verdictOf', () => {
  it.each<[string, SyscallEvent[], number | null, number | null, VerdictKind]>([
    ['single thread, little syscall time: CPU-bound (estimated)', callsOf('read', [5e6, 5e6], { path: '/f' }), 1e9, null, 'cpu-bound'],
    ['fsync most of the time: I/O-bound', callsOf('fsync', [300e6, 300e6]), 1e9, null, 'io-bound'],
    ['network counts as I/O', callsOf('recvfrom', [600e6]), 1e9, null, 'io-bound'],
    ['two threads waiting on a futex: lock-bound', [wait(100, 800e6), wait(101, 800e6)], 1e9, null, 'lock-bound'],
    ['one thread on a futex is idle, not lock-bound', [wait(100, 900e6)], 1e9, null, 'idle'],
    ['epoll_wait most of the time: idle', callsOf('epoll_wait', [900e6]), 1e9, null, 'idle'],
    // io 40%, idle 30%, cpu estimated 30%: nothing reaches half
    ['nothing at 50%: mixed', [...callsOf('fsync', [400e6]), ...callsOf('nanosleep', [300e6])], 1e9, null, 'mixed'],
    ['I/O exactly 50%', [...callsOf('fsync', [500e6]), ...callsOf('nanosleep', [100e6])], 1e9, null, 'io-bound'],
    ['I/O just under 50%', [...callsOf('fsync', [499e6]), ...callsOf('nanosleep', [101e6])], 1e9, null, 'mixed'],
    ['CPU time given: 1.8 s of 2 threads x 1 s', [call('getpid', [], 100, { tid: 100 }), call('getpid', [], 100, { tid: 101 })], 1e9, 1.8e9, 'cpu-bound'],
    ['two threads, CPU unknown, little accounted for', [call('getpid', [], 100, { tid: 100 }), call('getpid', [], 100, { tid: 101 })], 1e9, null, 'unknown'],
    ['no wall time', callsOf('fsync', [1e6]), null, null, 'unknown'],
    ['empty, with a wall time: all CPU (estimated)', [], 1e9, null, 'cpu-bound'],
  ])('%s', async (_name, events, durationNs, cpuNs, kind) => {
    expect((await verdict(events, durationNs, cpuNs)).kind).toBe(kind);
  });

  it('gives the numbers that decided it', async () => {
    const v = await verdict([...callsOf('fsync', [600e6]), ...callsOf('epoll_wait', [100e6])], 1e9);
    expect(v).toMatchObject({ kind: 'io-bound', durationNs: 1e9, threads: 1, capacityNs: 1e9, cpuEstimated: true, cpu: { ns: 300e6, share: 0.3 }, io: { ns: 600e6, share: 0.6 }, idle: { ns: 100e6 }, lock: { ns: 0 } });
    expect(v.largest).toEqual({ part: 'io', share: 0.6 });
    expect(v.accountedShare).toBeCloseTo(1, 12);
  });

  it('says when CPU time is measured, and works on an aggregate capture (processes as threads)', () => {
    const agg = aggregateProfile(profileOf({ durationNs: 1e9, syscalls: [statsOf('fsync', 74, [700e6])], processes: [{ tgid: 1, comm: 'db', syscalls: [statsOf('fsync', 74, [700e6])] }] }));
    const v = verdictOf(agg, 1e9, 0.2e9, null);
    expect(v).toMatchObject({ kind: 'io-bound', cpuEstimated: false, threads: 1, cpu: { ns: 0.2e9 } });
    expect(v.cpu).toEqual({ ns: 0.2e9, share: 0.2 });
  });
});
