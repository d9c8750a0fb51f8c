import { describe, expect, it } from 'vitest';
import { cpuDelta, ExportAccumulator, isPseudoProcess } from '../../../src/presentation/export/accumulator.js';
import { buildFamilies } from '../../../src/presentation/export/metrics.js';
import { renderPrometheus } from '../../../src/presentation/export/prometheus-text.js';
import { cgroupInfo } from '../../../src/core/system/cgroup.js';
import { callsOf } from '../../../src/presentation/export/folded.js';
import type { LabelName } from '../../../src/presentation/export/labels.js';
import { standardLayout } from '../../../src/core/model/histogram-layout.js';
import type { ProcessStats, Profile, SyscallStats } from '../../../src/core/model/profile.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

const COARSE = standardLayout(2);
const START = new Date(Date.UTC(2026, 0, 1));

// n calls of 1 µs (per syscall: fine layout; per process: coarse)
function calls(name: string, n: number, perProcess = false): SyscallStats {
  return statsOf(name, null, new Array(n).fill(1000), perProcess ? { layout: COARSE } : {});
}

function proc(tgid: number, comm: string, fsyncs: number): ProcessStats {
  return { tgid, comm, syscalls: [calls('fsync', fsyncs, true)] };
}

function snap(durationS: number, totalFsyncs: number, processes: ProcessStats[], extra: Partial<Profile> = {}): Profile {
  return profileOf({ startedAt: START, durationNs: durationS * 1e9, final: false, syscalls: [calls('fsync', totalFsyncs)], processes, ...extra });
}

// calls per series as "comm=N"
function byComm(acc: ExportAccumulator): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of acc.store.series()) out[s.labels['comm'] ?? ''] = callsOf(s.values);
  return out;
}

function accumulator(labels: LabelName[] = ['syscall', 'comm']): ExportAccumulator {
  return new ExportAccumulator({ labels, maxSeries: 100 });
}

describe('ExportAccumulator', () => {
  it('keeps counters monotonic when a process exits and is evicted; its last calls go to (exited)', () => {
    const acc = accumulator();
    acc.update(snap(1, 10, [proc(100, 'db', 6), proc(200, 'web', 4)]));
    expect(byComm(acc)).toEqual({ db: 6, web: 4 });
    // web made 3 more calls, exited and was evicted; the totals still have them
    acc.update(snap(2, 15, [proc(100, 'db', 8)]));
    expect(byComm(acc)).toEqual({ db: 8, web: 4, '(exited)': 3 });
    expect(acc.trackedProcesses).toBe(1);
    const sum = Object.values(byComm(acc)).reduce((a, b) => a + b, 0);
    expect(sum).toBe(15);
  });

  it('does not read the loader\'s "(exited)" pseudo-process (no double counting)', () => {
    const acc = accumulator();
    acc.update(snap(1, 10, [proc(100, 'db', 6), proc(200, 'web', 4)]));
    acc.update(snap(2, 12, [proc(100, 'db', 6), proc(-1, '(exited)', 6)]));
    expect(byComm(acc)).toEqual({ db: 6, web: 4, '(exited)': 2 });
    expect(isPseudoProcess({ tgid: 0, comm: '', syscalls: [] })).toBe(true);
    expect(isPseudoProcess({ tgid: 5, comm: 'sh', syscalls: [] })).toBe(false);
  });

  it('treats a reused pid whose counts went down as a new process', () => {
    const acc = accumulator();
    acc.update(snap(1, 50, [proc(300, 'old', 50)]));
    acc.update(snap(2, 52, [proc(300, 'new', 2)]));
    expect(byComm(acc)).toEqual({ old: 50, new: 2 });
  });

  it('absorbs per-process counts that run ahead of the totals without going negative', () => {
    const acc = accumulator();
    // a race while reading maps: the process already shows a call the totals do not
    acc.update(snap(1, 4, [proc(1, 'a', 5)]));
    expect(byComm(acc)).toEqual({ a: 5 });
    acc.update(snap(2, 9, [proc(1, 'a', 7)]));
    // 9 calls in the totals, 7 credited to a: 2 more, minus the 1 it ran ahead
    expect(byComm(acc)).toEqual({ a: 7, '(exited)': 2 });
  });

  it('counts failures by errno from the cumulative per-errno counts, across sessions', () => {
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 10 });
    const withErrnos = (durationS: number, enoent: number, eacces: number, startedAt = START): Profile => ({
      ...snap(durationS, 1, [], { startedAt }),
      syscalls: [{ ...calls('openat', enoent + eacces + 1), errors: enoent + eacces, errnos: [{ errno: 2, count: enoent }, ...(eacces ? [{ errno: 13, count: eacces }] : [])] }],
    });
    acc.update(withErrnos(1, 5, 0));
    acc.update(withErrnos(2, 8, 1));
    // a new loader run starts its counts from zero again
    acc.update(withErrnos(1, 2, 0, new Date(START.getTime() + 60_000)));
    expect(acc.errnoSeries.map((e) => [e.syscall, e.errno, e.count])).toEqual([
      ['openat', 'ENOENT', 10],
      ['openat', 'EACCES', 1],
    ]);
    const text = renderPrometheus(buildFamilies(acc));
    expect(text).toContain('syscall_prof_syscall_errno_total{syscall="openat",errno="ENOENT"} 10');
    expect(text).toContain('# TYPE syscall_prof_syscall_errno_total counter');
  });

  it('keeps counting across a new loader session (counters never reset)', () => {
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 10 });
    acc.update(snap(5, 100, [], { health: { ...profileOf().health, lostEvents: 7 } }));
    acc.update(profileOf({ startedAt: new Date(START.getTime() + 60_000), durationNs: 1e9, final: false, syscalls: [calls('fsync', 3)], health: { ...profileOf().health, lostEvents: 2 } }));
    expect(callsOf(acc.store.series()[0]!.values)).toBe(103);
    expect(acc.totals.lostEvents).toBe(9);
  });

  it('forgets every process that left the snapshots (bounded memory with churn)', () => {
    const gone: number[] = [];
    const acc = new ExportAccumulator({ labels: ['syscall', 'comm'], maxSeries: 100, onProcessGone: (t) => gone.push(t) });
    let total = 0;
    for (let i = 1; i <= 1000; i++) {
      total += 2;
      acc.update(snap(i, total, [proc(10_000 + i, 'worker', 2)]));
    }
    expect(acc.trackedProcesses).toBe(1);
    expect(gone).toHaveLength(999);
    expect(byComm(acc)).toEqual({ worker: 2000 });
    expect(acc.store.size).toBe(1);
  });

  it('labels cgroup, container and service from the cgroup of each process', () => {
    const id = 'ab'.repeat(32);
    const paths: Record<number, string> = { 1: `/system.slice/docker-${id}.scope`, 2: '/system.slice/nginx.service' };
    const acc = new ExportAccumulator({
      labels: ['syscall', 'cgroup', 'container', 'service'],
      maxSeries: 10,
      cgroupOf: (tgid) => cgroupInfo(paths[tgid]!),
    });
    acc.update(snap(1, 3, [proc(1, 'app', 1), proc(2, 'nginx', 2)]));
    expect(acc.store.series().map((s) => s.labels)).toEqual([
      { syscall: 'fsync', cgroup: `/system.slice/docker-${id}.scope`, container: 'abababababab', service: '' },
      { syscall: 'fsync', cgroup: '/system.slice/nginx.service', container: '', service: 'nginx' },
    ]);
  });

  it('exports off-CPU time only when the backend reports it', () => {
    const withOff = { ...calls('read', 2), offCpuNs: 1500, runqNs: 200 };
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 10 });
    acc.update(snap(1, 0, [], { syscalls: [withOff, calls('write', 1)] }));
    const [read, write] = acc.store.series();
    expect(read!.values.offCpuNs).toBe(1500);
    expect(read!.values.runqNs).toBe(200);
    expect(write!.values.offCpuNs).toBeNull();
  });

  it('estimates BPF CPU time from sampled statistics and reads the target CPU time when present', () => {
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 10 });
    const cost = (runNs: number, windowNs: number) => ({ enabled: true, programs: [{ name: 'sp_sys_exit', runTimeNs: runNs, runCount: 1 }], windowNs, memoryBytes: 4096 });
    acc.update(snap(1, 0, [], { cost: cost(1_000, 50_000_000) }));
    acc.update({ ...snap(2, 0, [], { cost: cost(3_000, 100_000_000) }), cpuNs: 5e8 } as Profile);
    // 1 µs in a 50 ms window of a 1 s interval = 20 µs; then 2 µs per 50 ms of 1 s = 40 µs
    expect(acc.totals.bpfCpuNs).toBeCloseTo(60_000, 6);
    expect(acc.gauges.bpfMemoryBytes).toBe(4096);
    expect(acc.totals.targetCpuNs).toBe(5e8);
    expect(cpuDelta(0, 10, 10)).toBe(0);
    expect(cpuDelta(5, 0, 10)).toBe(5);
  });
});
