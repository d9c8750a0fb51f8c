// Each traced thread's CPU time and lifetime, measured in the kernel (bpf/times.bpf.h)
// on the real kernel, in every tracing mode. burn_threads burns CPU in user
// space without a syscall for MS ms of wall time while SLEEPERS threads sleep
// as long, and prints the CPU time its own clock measured ("burn_ns N").
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { traceWithEbpf } from '../../src/core/backends/ebpf/backend.js';
import type { TraceRequest } from '../../src/core/backends/types.js';
import { openCsvCapture } from '../../src/core/capture/csv-reader.js';
import { openJsonlCapture } from '../../src/core/capture/jsonl-reader.js';
import { openSpbCapture } from '../../src/core/capture/spb-reader.js';
import { openParquetCapture } from '../../src/core/capture/parquet-reader.js';
import type { CaptureFile } from '../../src/core/capture/reader-types.js';
import type { Profile } from '../../src/core/model/profile.js';
import { runBuiltCli } from '../helpers/cli.js';
import { canTrace, programsLeftAfter, scratch, workload } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

const MS = 300;
const TICK_NS = 10_000_000; // a running thread's CPU time is brought up to date at each tick (HZ >= 100)

afterEach(async () => {
  expect(await programsLeftAfter()).toEqual([]);
});

// "burn_ns N" in a workload's output
function burnNs(text: string): number {
  const m = /^burn_ns (\d+)$/m.exec(text);
  if (m === null) throw new Error(`no burn_ns in: ${text}`);
  return Number(m[1]);
}

// the CPU time the kernel has counted for a thread so far (se.sum_exec_runtime), ns
function schedNs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
}

// a shell that waits for a line on stdin, then runs 20 /bin/true and burn_threads MS 1
function shortLivedThenBurn(prefix = ''): string {
  return `${prefix}read go; i=0; while [ $i -lt 20 ]; do /bin/true; i=$((i+1)); done; ${workload('burn_threads')} ${MS} 1`;
}

// what the shell printed, once it has exited
function outputOf(child: ChildProcessWithoutNullStreams): Promise<string> {
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((resolve) => child.on('close', () => resolve(out)));
}

describe('a command: one thread burning CPU, two sleeping', () => {
  it('counts the burner\'s CPU time and all three lifetimes, with no shell in between', async () => {
    const r = await runBuiltCli(['trace', '--json', '--', workload('burn_threads'), String(MS), '2']);
    expect(r.exitCode).toBe(0);
    const burn = burnNs(r.stderr);
    const j = JSON.parse(r.stdout) as { durationNs: number; cpuNs: number; threadNs: number; threadCount: number; processes: { comm: string; cpuNs: number; lifeNs: number; threads: number }[] };
    // the burn plus start-up (exec, dynamic loading, three thread starts)
    expect(j.cpuNs).toBeGreaterThanOrEqual(0.8 * burn);
    expect(j.cpuNs).toBeLessThanOrEqual(1.3 * burn);
    expect(j.threadCount).toBe(3);
    // the main thread from the start of tracing to its exit, the sleepers from their start
    expect(j.threadNs).toBeGreaterThanOrEqual(3 * MS * 1e6);
    expect(j.threadNs).toBeLessThanOrEqual(3 * j.durationNs);
    expect(j.processes).toHaveLength(1);
    expect(j.processes[0]).toMatchObject({ comm: 'burn_threads', cpuNs: j.cpuNs, lifeNs: j.threadNs, threads: 3 });
  });
});

describe('a running process with --pid', () => {
  it('leaves out the CPU time it used before tracing started', async () => {
    const child = spawn(workload('burn_threads'), ['30000', '0'], { stdio: 'ignore' });
    try {
      // at least 1 s of CPU before the trace: counting it would exceed all it used since
      const until = Date.now() + 20_000;
      while (schedNs(child.pid!) < 1e9 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      const before = schedNs(child.pid!);
      expect(before).toBeGreaterThanOrEqual(1e9);
      const snapshots: Profile[] = [];
      const p = await traceWithEbpf(
        { target: { kind: 'pids', pids: [child.pid!] }, follow: false, durationSec: 0.8, intervalMs: 200, commandStdout: 'stderr' },
        (s) => snapshots.push(s),
      );
      const since = schedNs(child.pid!) - before;
      expect(p.stopReason).toBe('duration');
      expect(p.cpuNs!).toBeLessThanOrEqual(since);
      expect(p.cpuNs!).toBeLessThanOrEqual(p.durationNs + TICK_NS);
      // it ran (on a busy machine, not all of the time)
      expect(p.cpuNs!).toBeGreaterThan(0.1 * p.durationNs);
      // one thread, alive through the whole window: its lifetime is the window, exactly
      expect(p.threadCount).toBe(1);
      expect(p.threadNs).toBe(p.durationNs);
      // it makes no syscall: it has no syscall stats, its time is in the totals all the same
      expect(p.processes).toEqual([]);
      // every snapshot is cumulative since the start
      expect(snapshots.length).toBeGreaterThanOrEqual(3);
      for (const s of snapshots) expect(s.threadNs).toBe(s.durationNs);
      for (let i = 1; i < snapshots.length; i++) expect(snapshots[i]!.cpuNs!).toBeGreaterThanOrEqual(snapshots[i - 1]!.cpuNs!);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

// the checks both --follow and --cgroup runs of shortLivedThenBurn() share
function expectShortLivedThenBurn(p: Profile, burn: number, threadsBesides: number): void {
  // the shell, 20 x true, burn_threads' main thread and its sleeper
  expect(p.threadCount).toBe(threadsBesides + 20 + 2);
  const trues = p.processes.filter((pr) => pr.comm === 'true');
  expect(trues).toHaveLength(20);
  for (const t of trues) {
    expect(t.threads).toBe(1);
    // milliseconds each, not the whole run
    expect(t.lifeNs!).toBeGreaterThan(0);
    expect(t.lifeNs!).toBeLessThan(100e6);
  }
  const burner = p.processes.find((pr) => pr.comm === 'burn_threads')!;
  expect(burner.threads).toBe(2);
  expect(burner.cpuNs!).toBeGreaterThanOrEqual(0.8 * burn);
  expect(burner.cpuNs!).toBeLessThanOrEqual(1.3 * burn);
  expect(p.cpuNs!).toBeGreaterThanOrEqual(burner.cpuNs!);
  // far below every thread alive all along
  expect(p.threadNs!).toBeLessThan(0.25 * p.threadCount! * p.durationNs);
}

describe('children with --follow, and a cgroup', () => {
  it('counts the threads of the children a traced process starts, each for its own lifetime', async () => {
    const shell = spawn('/bin/sh', ['-c', shortLivedThenBurn()]);
    const out = outputOf(shell);
    try {
      let released = false;
      const p = await traceWithEbpf(
        { target: { kind: 'pids', pids: [shell.pid!] }, follow: true, durationSec: null, intervalMs: 100, commandStdout: 'stderr' },
        () => {
          if (!released) shell.stdin.end('go\n');
          released = true;
        },
      );
      expect(p.stopReason).toBe('target-exit');
      expectShortLivedThenBurn(p, burnNs(await out), 1);
    } finally {
      shell.kill('SIGKILL');
    }
  });

  it('counts the threads inside the cgroup only', async () => {
    const cg = `/sys/fs/cgroup/unified/syscall-prof-cputime-${process.pid}`;
    mkdirSync(cg);
    const shell = spawn('/bin/sh', ['-c', shortLivedThenBurn(`echo $$ > ${cg}/cgroup.procs; `)]);
    const out = outputOf(shell);
    try {
      let outside: Promise<unknown> | null = null;
      const p = await traceWithEbpf(
        { target: { kind: 'cgroup', path: cg }, follow: false, durationSec: 4, intervalMs: 100, commandStdout: 'stderr' },
        () => {
          // once tracing runs: the shell goes on inside the cgroup, a burner runs outside
          if (outside !== null) return;
          shell.stdin.end('go\n');
          outside = execa(workload('burn_threads'), [String(MS), '3']);
        },
      );
      await outside;
      const burn = burnNs(await out);
      expectShortLivedThenBurn(p, burn, 1);
      // the outside burner's 4 threads and its CPU time are not in the totals
      expect(p.cpuNs!).toBeLessThan(1.3 * burn + 60e6);
    } finally {
      shell.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
      rmdirSync(cg);
    }
  });
});

describe('event mode', () => {
  const open: Record<string, (path: string) => CaptureFile> = {
    csv: (path) => openCsvCapture(path, { progress: null }),
    jsonl: (path) => openJsonlCapture(path, { progress: null }),
    spb: (path) => openSpbCapture(path, { progress: null }),
    parquet: (path) => openParquetCapture(path, { progress: null }),
  };

  it.each(['csv', 'jsonl', 'spb', 'parquet'])('carries the totals in the capture and reads them back (%s)', async (format) => {
    const dir = scratch();
    const file = join(dir, `burn.${format}`);
    const r = await runBuiltCli(['trace', '--output', file, '--', workload('burn_threads'), String(MS), '2']);
    expect(r.exitCode).toBe(0);
    const burn = burnNs(r.stdout + r.stderr);
    const capture = open[format]!(file);
    for await (const batch of capture.batches) expect(batch.length).toBeGreaterThanOrEqual(0);
    const meta = capture.final().meta;
    expect(meta.threadCount).toBe(3);
    expect(meta.threadNs!).toBeGreaterThanOrEqual(3 * MS * 1e6);
    expect(meta.threadNs!).toBeLessThanOrEqual(3 * meta.durationNs!);
    expect(meta.cpuNs!).toBeGreaterThanOrEqual(0.8 * burn);
    expect(meta.cpuNs!).toBeLessThanOrEqual(1.3 * burn);
    // the time its threads waited for a CPU is carried too (whatever it was on this run)
    expect(meta.runqNs).toEqual(expect.any(Number));
    const text = readFileSync(file);
    if (format === 'csv') {
      // in the sidecar beside the plain CSV
      const side = JSON.parse(readFileSync(`${file}.meta.json`, 'utf8')) as Record<string, number>;
      expect(side).toMatchObject({ thread_ns: meta.threadNs, threads: 3, cpu_ns: meta.cpuNs, runq_ns: meta.runqNs });
    }
    if (format === 'jsonl') {
      const end = JSON.parse(text.toString('utf8').trim().split('\n').at(-1)!) as { syscall_prof_end: Record<string, number> };
      expect(end.syscall_prof_end).toMatchObject({ thread_ns: meta.threadNs, threads: 3, cpu_ns: meta.cpuNs });
    }
  });
});

describe('two CPU burners sharing one CPU', () => {
  // each is runnable while the other runs: the scheduler's run_delay, measured
  // in the kernel beside the CPU time, is about as long as the CPU time itself
  it('counts the time they waited for the CPU', async () => {
    const burn = `${workload('burn_threads')} ${MS} 0`;
    const r = await runBuiltCli(['trace', '--json', '--command', `taskset -c 0 sh -c '${burn} & ${burn}; wait'`]);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout) as { cpuNs: number; runqNs: number | null };
    expect(j.runqNs).not.toBeNull();
    // two burners of MS ms of wall time on one CPU: each ran about half of it and waited the other half
    expect(j.runqNs!).toBeGreaterThan(0.3 * j.cpuNs);
    expect(j.runqNs!).toBeLessThan(3 * j.cpuNs);
  });
});
