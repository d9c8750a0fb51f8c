import { describe, expect, it } from 'vitest';
import { InvalidFrameError } from '../../../src/core/wire/frame-errors.js';
import { FrameSession } from '../../../src/core/wire/session.js';
import { decodeFrame } from '../../../src/core/wire/wire.js';
import { standardLayout } from '../../../src/core/model/histogram-layout.js';
import { Arch, CostStats, encodeFrame, headerFrame, Mode, snapshotFrame, statsOf, StopReason } from '../../helpers/frames.js';

// feeds frame objects through encode/decode into a fresh session; returns the last result
function run(frames: Record<string, unknown>[]) {
  const session = new FrameSession('test stream');
  let offset = 0;
  let last = null;
  for (const f of frames) {
    last = session.accept({ offset, frame: decodeFrame(encodeFrame(f)) });
    offset += 100;
  }
  return { session, last };
}

const FINAL = snapshotFrame({
  seq: 2,
  final: true,
  syscalls: [statsOf(0, [1000, 2000, 3000], { errors: 1 }), statsOf(999, [5])],
  processes: [statsOf(0, [1000, 2000], { tgid: 7 }), statsOf(1, [3000], { tgid: 7 }), statsOf(0, [3000], { tgid: 8 })],
  procs: [
    { tgid: 7, comm: 'make' },
    { tgid: 8, comm: 'cc\u001b[31m' },
  ],
  inFlight: [{ tgid: 7, tid: 9, nr: 232, ageNs: 5000 }],
  health: { missedStarts: 3, lostEvents: 1 },
  cost: [{ name: 'sys_enter', runTimeNs: 500, runCount: 10 }],
  costWindowNs: 250_000_000,
  exit: { pid: 4242, exited: true, code: 3 },
  stopReason: StopReason.STOP_REASON_TARGET_EXIT,
});

describe('FrameSession conversion', () => {
  it('turns header + final snapshot into a Profile', () => {
    const { session, last } = run([headerFrame(), snapshotFrame(), FINAL]);
    expect(session.finished).toBe(true);
    const p = last!;
    expect(p.backend).toBe('ebpf');
    expect(p.target).toEqual({ kind: 'command', argv: ['/bin/sh', '-c', 'make'], follow: true });
    expect(p.startedAt.toISOString()).toBe('2025-01-02T03:04:05.000Z');
    expect(p.durationNs).toBe(2_000_000_000);
    expect(p.final).toBe(true);
    expect(p.stopReason).toBe('target-exit');
    expect(p.exit).toEqual({ pid: 4242, kind: 'exited', code: 3 });
    expect(p.syscalls.map((s) => [s.name, s.nr, s.count, s.errors, s.totalNs, s.maxNs, s.histogram.total])).toEqual([
      ['read', 0, 3, 1, 6000, 3000, 3],
      ['syscall_999', 999, 1, 0, 5, 5, 1],
    ]);
    expect(p.syscalls[0]!.histogram.layout).toEqual(standardLayout(3));
    expect(p.processes.map((pr) => [pr.tgid, pr.comm, pr.syscalls.map((s) => s.name)])).toEqual([
      [7, 'make', ['read', 'write']],
      [8, 'cc?[31m', ['read']],
    ]);
    expect(p.processes[0]!.syscalls[0]!.histogram.layout).toEqual(standardLayout(2));
    expect(p.inFlight).toEqual([{ tgid: 7, tid: 9, nr: 232, syscall: 'epoll_wait', ageNs: 5000 }]);
    expect(p.health).toMatchObject({ missedStarts: 3, lostEvents: 1, processDrops: 0 });
    expect(p.cost).toEqual({
      enabled: true,
      programs: [{ name: 'sys_enter', runTimeNs: 500, runCount: 10 }],
      windowNs: 250_000_000,
      memoryBytes: 4 * 1024 * 1024,
    });
  });

  it('takes histogram layouts from the header, not from constants', () => {
    const wide = standardLayout(4);
    const header = headerFrame({ fine: { subBits: 4, buckets: wide.buckets }, costStats: CostStats.COST_STATS_OFF });
    const snap = snapshotFrame({ final: true, syscalls: [{ nr: 1, count: 1, totalNs: 1, maxNs: 1, bucketIndex: [500], bucketCount: [1] }] });
    const p = run([header, snap]).last!;
    expect(p.syscalls[0]!.histogram.layout).toEqual(wide);
    expect(p.cost.enabled).toBe(false);
  });

  it.each<[number, string]>([
    [StopReason.STOP_REASON_DURATION, 'duration'],
    [StopReason.STOP_REASON_SIGNAL, 'signal'],
    [StopReason.STOP_REASON_TARGET_EXIT, 'target-exit'],
    [StopReason.STOP_REASON_STDOUT_CLOSED, 'stdout-closed'],
    [StopReason.STOP_REASON_PARENT_DIED, 'parent-died'],
    [StopReason.STOP_REASON_UNSPECIFIED, 'unknown'],
  ])('names stop reason %i %s', (reason, name) => {
    expect(run([headerFrame(), snapshotFrame({ final: true, stopReason: reason })]).last!.stopReason).toBe(name);
  });

  it.each<[number, Record<string, unknown>, Record<string, unknown>]>([
    [Mode.MODE_ALL, {}, { kind: 'all', follow: true }],
    [Mode.MODE_PID, { pids: [5, 6] }, { kind: 'pids', pids: [5, 6], follow: true }],
    [Mode.MODE_COMMAND, {}, { kind: 'command', argv: ['/bin/sh', '-c', 'make'], follow: true }],
    [Mode.MODE_CGROUP, { cgroup: '/sys/fs/cgroup/db' }, { kind: 'cgroup', path: '/sys/fs/cgroup/db', follow: true }],
  ])('turns mode %i into its target', (mode, fields, target) => {
    expect(run([headerFrame({ mode, ...fields }), snapshotFrame({ final: true })]).last!.target).toEqual(target);
  });

  it.each<[number, boolean]>([
    [CostStats.COST_STATS_SAMPLED, true],
    [CostStats.COST_STATS_FULL, true],
    [CostStats.COST_STATS_OFF, false],
    [CostStats.COST_STATS_UNSPECIFIED, false],
  ])('takes cost_stats %i as cost statistics enabled: %s', (costStats, enabled) => {
    expect(run([headerFrame({ costStats }), snapshotFrame({ final: true })]).last!.cost.enabled).toBe(enabled);
  });

  it('keeps intermediate snapshots open and maps unknown stop reasons', () => {
    expect(run([headerFrame(), snapshotFrame()]).last!.stopReason).toBeNull();
    expect(run([headerFrame(), snapshotFrame({ final: true, stopReason: 99 })]).last!.stopReason).toBe('unknown');
    expect(run([headerFrame(), snapshotFrame({ final: true, exit: { pid: 5, signal: 9 } })]).last!.exit).toEqual({
      pid: 5,
      kind: 'killed',
      signal: 9,
    });
  });

  it('carries off-CPU and runnable time and the CPU time of the command when the header says offcpu', () => {
    const snap = snapshotFrame({
      final: true,
      syscalls: [{ ...statsOf(74, [4000, 6000]), offCpuNs: 7000, runqNs: 500 }],
      processes: [{ ...statsOf(74, [4000, 6000], { tgid: 7 }), offCpuNs: 7000, runqNs: 500 }],
      procs: [{ tgid: 7, comm: 'db' }],
      exit: { pid: 7, exited: true, code: 0, cpuNs: 12_000_000 },
    });
    const p = run([headerFrame({ offcpu: true }), snap]).last!;
    expect(p.syscalls.map((s) => [s.name, s.totalNs, s.offCpuNs, s.runqNs])).toEqual([['fsync', 10_000, 7000, 500]]);
    expect(p.processes[0]!.syscalls[0]).toMatchObject({ offCpuNs: 7000, runqNs: 500 });
    expect(p.cpuNs).toBe(12_000_000);
    const without = run([headerFrame(), snapshotFrame({ final: true, syscalls: [statsOf(74, [4000])] })]).last!;
    expect(without.syscalls[0]!.offCpuNs).toBeUndefined();
    expect(without.cpuNs).toBeNull();
  });

  it('sums the threads\' times measured in the kernel, and gives each listed process its own', () => {
    const snap = snapshotFrame({
      final: true,
      processes: [statsOf(0, [1000], { tgid: 7 }), statsOf(0, [1000], { tgid: 8 })],
      procs: [
        { tgid: 7, comm: 'make' },
        { tgid: 8, comm: 'cc' },
      ],
      // tgid 0: processes the loader evicted; 9 made no syscall (not listed, in the totals)
      times: [
        { tgid: 0, cpuNs: 1_000, lifeNs: 5_000, threads: 2 },
        { tgid: 7, cpuNs: 20_000_000, lifeNs: 2_000_000_000, threads: 1 },
        { tgid: 8, cpuNs: 300_000_000, lifeNs: 400_000_000, threads: 3 },
        { tgid: 9, cpuNs: 7, lifeNs: 11, threads: 1 },
      ],
      // the rusage of the command: not used when the kernel measured the threads
      exit: { pid: 7, exited: true, code: 0, cpuNs: 12_000_000 },
    });
    const p = run([headerFrame({ times: true }), snap]).last!;
    expect(p.cpuNs).toBe(320_001_007);
    expect(p.threadNs).toBe(2_400_005_011);
    expect(p.threadCount).toBe(7);
    expect(p.processes.map((pr) => [pr.tgid, pr.cpuNs, pr.lifeNs, pr.threads])).toEqual([
      [7, 20_000_000, 2_000_000_000, 1],
      [8, 300_000_000, 400_000_000, 3],
    ]);
    // measured, and nothing lived: zero, not unknown
    const none = run([headerFrame({ times: true }), snapshotFrame({ final: true, exit: { pid: 7, exited: true, code: 0, cpuNs: 12_000_000 } })]).last!;
    expect([none.cpuNs, none.threadNs, none.threadCount]).toEqual([0, 0, 0]);
  });

  it('falls back to the command\'s rusage from a loader that does not measure the threads', () => {
    const p = run([headerFrame(), snapshotFrame({ final: true, procs: [{ tgid: 7, comm: 'make' }], exit: { pid: 7, exited: true, code: 0, cpuNs: 12_000_000 } })]).last!;
    expect(p.cpuNs).toBe(12_000_000);
    expect(p.threadNs).toBeNull();
    expect(p.threadCount).toBeNull();
    expect(p.processes[0]!.cpuNs).toBeUndefined();
  });

  it('attaches the failures by errno to their syscalls, most first', () => {
    const snap = snapshotFrame({
      final: true,
      syscalls: [statsOf(257, [10, 20, 30], { errors: 3 }), statsOf(0, [10])],
      errnos: [
        { nr: 257, err: 13, count: 1 },
        { nr: 257, err: 2, count: 2 },
      ],
    });
    const p = run([headerFrame(), snap]).last!;
    expect(p.syscalls.find((s) => s.name === 'openat')!.errnos).toEqual([
      { errno: 2, count: 2 },
      { errno: 13, count: 1 },
    ]);
    expect(p.syscalls.find((s) => s.name === 'read')!.errnos).toBeUndefined();
  });

  it('converts an empty capture', () => {
    const p = run([headerFrame({ mode: Mode.MODE_ALL, pids: [], command: [] }), snapshotFrame({ monoNs: 1_000_000_000, final: true })]).last!;
    expect(p).toMatchObject({ durationNs: 0, syscalls: [], processes: [], inFlight: [], target: { kind: 'all' } });
  });
});

const BAD_STATS = { nr: 1, count: 1, totalNs: 1, maxNs: 1 };
describe('FrameSession validation', () => {
  it.each<[string, Record<string, unknown>[], RegExp]>([
    ['snapshot first', [snapshotFrame()], /snapshot before the header/],
    ['empty frame', [{}], /neither a header, a snapshot, an event batch nor a note/],
    ['second header', [headerFrame(), headerFrame()], /second header/],
    ['unknown version', [headerFrame({ version: 3 })], /unsupported wire version 3 \(this controller reads 1 to 2\)/],
    ['no version', [headerFrame({ version: 0 })], /unsupported wire version 0/],
    ['no arch', [headerFrame({ arch: Arch.ARCH_UNSPECIFIED })], /header has no arch/],
    ['unknown arch', [headerFrame({ arch: 99 })], /unknown arch 99/],
    ['unknown cost_stats', [headerFrame({ costStats: 99 })], /unknown cost_stats 99/],
    ['no fine layout', [headerFrame({ fine: null })], /no fine layout/],
    ['bad coarse layout', [headerFrame({ coarse: { subBits: 12, buckets: 10 } })], /coarse layout: sub_bits 12/],
    ['unknown mode', [headerFrame({ mode: 99 })], /unknown mode 99/],
    ['no mode', [headerFrame({ mode: Mode.MODE_UNSPECIFIED })], /unknown mode 0/],
    ['pid mode without pids', [headerFrame({ mode: Mode.MODE_PID, pids: [] })], /without pids/],
    ['bucket index beyond the layout', [headerFrame(), snapshotFrame({ syscalls: [{ ...BAD_STATS, bucketIndex: [336], bucketCount: [1] }] })], /syscall nr 1: bucket index 336 is outside 0..335/],
    ['coarse index beyond the layout', [headerFrame(), snapshotFrame({ processes: [{ ...BAD_STATS, tgid: 5, bucketIndex: [172], bucketCount: [1] }] })], /process 5 syscall nr 1: bucket index 172/],
    ['unequal bucket arrays', [headerFrame(), snapshotFrame({ syscalls: [{ ...BAD_STATS, bucketIndex: [1, 2], bucketCount: [1] }] })], /2 bucket indexes but 1 bucket counts/],
    ['duplicate bucket index', [headerFrame(), snapshotFrame({ syscalls: [{ ...BAD_STATS, bucketIndex: [4, 4], bucketCount: [1, 1] }] })], /bucket index 4 appears twice/],
    ['duplicate bucket index out of order', [headerFrame(), snapshotFrame({ syscalls: [{ ...BAD_STATS, bucketIndex: [9, 4, 9], bucketCount: [1, 1, 1] }] })], /bucket index 9 appears twice/],
    ['a syscall number beyond any table', [headerFrame(), snapshotFrame({ syscalls: [statsOf(4096, [1])] })], /syscall nr 4096 is above 4095/],
    ['a process syscall number beyond any table', [headerFrame(), snapshotFrame({ processes: [statsOf(5000, [1], { tgid: 4 })] })], /process 4 has syscall nr 5000, above 4095/],
    ['duplicate syscall', [headerFrame(), snapshotFrame({ syscalls: [statsOf(3, [1]), statsOf(3, [1])] })], /syscall nr 3 appears twice/],
    ['tgid in per-syscall stats', [headerFrame(), snapshotFrame({ syscalls: [{ ...statsOf(3, [1]), tgid: 9 }] })], /carry tgid 9/],
    ['tgid 0 in per-process stats', [headerFrame(), snapshotFrame({ processes: [statsOf(3, [1])] })], /have tgid 0/],
    ['duplicate process stats', [headerFrame(), snapshotFrame({ processes: [statsOf(3, [1], { tgid: 4 }), statsOf(3, [1], { tgid: 4 })] })], /process 4 syscall nr 3 appears twice/],
    ['duplicate process', [headerFrame(), snapshotFrame({ procs: [{ tgid: 4 }, { tgid: 4 }] })], /process 4 listed twice/],
    ['time before start', [headerFrame(), snapshotFrame({ monoNs: 5 })], /precedes the start/],
    ['time going back', [headerFrame(), snapshotFrame({ seq: 2 }), snapshotFrame({ seq: 1 })], /goes back/],
    ['snapshot after final', [headerFrame(), snapshotFrame({ final: true }), snapshotFrame({ seq: 2 })], /after the final one/],
    ['off-CPU time over the total', [headerFrame(), snapshotFrame({ syscalls: [{ ...statsOf(3, [100]), offCpuNs: 101 }] })], /syscall nr 3: off-CPU time 101 ns exceeds the total 100 ns/],
    ['runnable time over the off-CPU time', [headerFrame(), snapshotFrame({ syscalls: [{ ...statsOf(3, [100]), offCpuNs: 10, runqNs: 11 }] })], /runnable time 11 ns exceeds the off-CPU time 10 ns/],
    ['errno 0', [headerFrame(), snapshotFrame({ errnos: [{ nr: 2, err: 0, count: 1 }] })], /errno count for syscall nr 2 has errno 0/],
    ['a duplicate errno count', [headerFrame(), snapshotFrame({ errnos: [{ nr: 2, err: 2, count: 1 }, { nr: 2, err: 2, count: 1 }] })], /syscall nr 2 errno 2 appears twice/],
    ['exit code out of range', [headerFrame(), snapshotFrame({ exit: { pid: 1, exited: true, code: 300 } })], /exit code 300/],
    ['times the header did not announce', [headerFrame(), snapshotFrame({ times: [{ tgid: 4, cpuNs: 1, lifeNs: 2, threads: 1 }] })], /process times in a stream whose header did not announce them/],
    ['times of a process twice', [headerFrame({ times: true }), snapshotFrame({ times: [{ tgid: 4, threads: 1 }, { tgid: 4, threads: 1 }] })], /times of process 4 listed twice/],
    ['times without a thread', [headerFrame({ times: true }), snapshotFrame({ times: [{ tgid: 4, cpuNs: 5 }] })], /times of process 4 without a thread/],
  ])('rejects %s', (_name, frames, message) => {
    let err: unknown;
    try {
      run(frames);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidFrameError);
    expect((err as Error).message).toMatch(/^test stream: invalid frame at byte offset \d+: /);
    expect((err as Error).message).toMatch(message);
  });
});
