import { FSYNC_PATH, stackDef, stackProfile, stackStats } from '../../helpers/stacks.js';
import { describe, expect, it } from 'vitest';
import { jsonReport, renderJson } from '../../../src/presentation/render/json.js';
import { profileOf, statsOf } from '../../helpers/profile.js';
import { standardLayout } from '../../../src/core/model/histogram-layout.js';

const PROFILE = profileOf({
  syscalls: [statsOf('read', 0, [100, 200, 301]), statsOf('write', 1, [5000], { errors: 1 }), statsOf('close', 3, [])],
  processes: [{ tgid: 4242, comm: 'sh', syscalls: [statsOf('read', 0, [100, 200, 301], { layout: standardLayout(2) })] }],
  exit: { pid: 4242, kind: 'exited', code: 1 },
});

describe('JSON report', () => {
  it('has the documented top-level keys', () => {
    expect(Object.keys(jsonReport(PROFILE, null))).toEqual([
      'format',
      'version',
      'backend',
      'arch',
      'target',
      'startedAt',
      'durationNs',
      'stopReason',
      'exit',
      'cpuNs',
      'threadNs',
      'threadCount',
      'runqNs',
      'totals',
      'syscalls',
      'omittedSyscalls',
      'processes',
      'inFlight',
      'health',
      'cost',
      'percentileError',
      'ioUring',
      'sampled',
      'tcp',
      'stacks',
    ]);
  });

  it('has where the slow calls come from with --stacks, null without', () => {
    expect(jsonReport(PROFILE, null)['stacks']).toBeNull();
    const stacks = stackProfile([stackDef(1, 10, FSYNC_PATH)], [stackStats(10, 'fsync', 1, [1_000_000, 3_000_000])]);
    const obj = JSON.parse(JSON.stringify(jsonReport({ ...PROFILE, stacks }, null))) as { stacks: { health: { taken: number }; syscalls: { syscall: string; calls: number; stacks: { frames: string[]; share: number; maxNs: number }[] }[] } };
    expect(obj.stacks.health.taken).toBe(2);
    expect(obj.stacks.syscalls).toEqual([
      expect.objectContaining({ syscall: 'fsync', calls: 2, totalNs: 4_000_000, omittedStacks: 0, stacks: [expect.objectContaining({ frames: ['main', 'ledger_run', 'ledger_durable_commit', 'fsync'], share: 1, maxNs: 3_000_000, completeness: 'full' })] }),
    ]);
  });

  it('carries the on/off-CPU split of each row and the CPU time of the command when measured', () => {
    const p = { ...PROFILE, cpuNs: 7000, syscalls: PROFILE.syscalls.map((s) => ({ ...s, offCpuNs: s.totalNs / 2, runqNs: 10 })) };
    const obj = JSON.parse(JSON.stringify(jsonReport(p, null))) as { cpuNs: number; syscalls: { name: string; totalNs: number; offCpuNs: number; runqNs: number }[] };
    expect(obj.cpuNs).toBe(7000);
    for (const r of obj.syscalls) expect([r.offCpuNs, r.runqNs]).toEqual([r.totalNs / 2, 10]);
  });

  it('carries the threads\' CPU time and lifetimes, in total and per process, null when unknown', () => {
    const measured = { ...PROFILE, cpuNs: 7000, threadNs: 90_000, threadCount: 3, processes: PROFILE.processes.map((pr) => ({ ...pr, cpuNs: 7000, lifeNs: 90_000, threads: 3 })) };
    const obj = jsonReport(measured, null) as { threadNs: number; threadCount: number; processes: Record<string, unknown>[] };
    expect([obj.threadNs, obj.threadCount]).toEqual([90_000, 3]);
    expect(obj.processes[0]).toMatchObject({ tgid: 4242, cpuNs: 7000, lifeNs: 90_000, threads: 3 });
    const unknown = jsonReport(PROFILE, null) as { threadNs: unknown; threadCount: unknown; processes: Record<string, unknown>[] };
    expect([unknown.threadNs, unknown.threadCount]).toEqual([null, null]);
    expect(unknown.processes[0]).toMatchObject({ cpuNs: null, lifeNs: null, threads: null });
  });

  it('round-trips through JSON text with rows sorted, latency integers and nulls', () => {
    const obj = JSON.parse(renderJson(PROFILE, 1));
    expect(obj).toMatchObject({
      format: 'syscall-prof/summary',
      version: 1,
      target: { kind: 'command', argv: ['/bin/sh', '-c', 'make all'], follow: true },
      startedAt: '2025-01-02T03:04:05.000Z',
      durationNs: 2e9,
      stopReason: 'target-exit',
      exit: { pid: 4242, kind: 'exited', code: 1 },
      totals: { calls: 4, errors: 1, totalNs: 5601, distinctSyscalls: 2, callsPerSecond: 2 },
      omittedSyscalls: 1,
      percentileError: { syscalls: 0.125, processes: 0.25 },
    });
    expect(obj.syscalls).toEqual([{ name: 'write', nr: 1, count: 1, errors: 1, totalNs: 5000, avgNs: 5000, p50Ns: 5000, p99Ns: 5000, maxNs: 5000, offCpuNs: null, runqNs: null }]);
    expect(obj.processes[0]).toMatchObject({ tgid: 4242, comm: 'sh', calls: 3, totalNs: 601 });
    expect(obj.processes[0].syscalls[0]).toMatchObject({ name: 'read', avgNs: 200, maxNs: 301 });
  });

  it('renders an empty capture with empty lists and null rates', () => {
    const obj = JSON.parse(renderJson(profileOf({ durationNs: 0 }), null));
    expect(obj).toMatchObject({
      syscalls: [],
      processes: [],
      omittedSyscalls: 0,
      totals: { calls: 0, callsPerSecond: null },
      percentileError: { syscalls: null, processes: null },
    });
  });
});
