// The eBPF backend end to end: real loader, real kernel, real workloads.
import { spawn } from 'node:child_process';
import { mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { traceWithEbpf } from '../../src/core/backends/ebpf/backend.js';
import type { TraceRequest } from '../../src/core/backends/types.js';
import type { Profile, SyscallStats } from '../../src/core/model/profile.js';
import { alive, canTrace, cli, eventually, loader, programsLeftAfter, scratch, workload } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

function command(argv: string[], extra: Partial<TraceRequest> = {}): TraceRequest {
  return { target: { kind: 'command', argv }, follow: true, durationSec: null, intervalMs: 200, commandStdout: 'stderr', ...extra };
}

// Stats of one syscall in the whole profile, or in the traced command's process.
function stats(p: Profile, name: string, tgid?: number): SyscallStats | undefined {
  if (tgid === undefined) return p.syscalls.find((s) => s.name === name);
  return p.processes.find((pr) => pr.tgid === tgid)?.syscalls.find((s) => s.name === name);
}

function count(p: Profile, name: string, tgid?: number): number {
  return stats(p, name, tgid)?.count ?? 0;
}

afterEach(async () => {
  expect(await programsLeftAfter()).toEqual([]);
});

describe('tracing a command', () => {
  it('counts exactly 1000 write and 1000 fsync of the fsync workload, per syscall and per process', async () => {
    const dir = scratch();
    const p = await traceWithEbpf(command([workload('fsync_write'), '1000', join(dir, 'f')]));
    expect(p.exit).toMatchObject({ kind: 'exited', code: 0 });
    const pid = p.exit!.pid;
    expect(count(p, 'fsync')).toBe(1000);
    expect(count(p, 'write')).toBe(1000);
    expect(count(p, 'fsync', pid)).toBe(1000);
    expect(count(p, 'write', pid)).toBe(1000);
    // its execve is the first call we see, and we see exactly one
    expect(count(p, 'execve')).toBe(1);
    expect(p.health.missedStarts).toBe(0);
    expect(p.processes.find((pr) => pr.tgid === pid)?.comm).toBe('fsync_write');
    // histograms hold every call
    expect(stats(p, 'fsync')!.histogram.total).toBe(1000);
    expect(p.stopReason).toBe('target-exit');
  });

  it('sees almost no syscalls from a pure CPU workload after start-up', async () => {
    const p = await traceWithEbpf(command([workload('cpu'), '100', '/dev/null']));
    const total = p.syscalls.reduce((a, s) => a + s.count, 0);
    // dynamic loading and libc start-up only: a few dozen calls, whatever the work
    expect(total).toBeGreaterThan(5);
    expect(total).toBeLessThan(80);
  });

  it('times fsync slower than buffered write (p50)', async () => {
    const dir = scratch();
    const synced = await traceWithEbpf(command([workload('fsync_write'), '300', join(dir, 'a')]));
    const buffered = await traceWithEbpf(command([workload('buffered_write'), '300', join(dir, 'b')]));
    const fsyncP50 = stats(synced, 'fsync')!.histogram.percentile(0.5)!;
    const writeP50 = stats(buffered, 'write')!.histogram.percentile(0.5)!;
    expect(count(buffered, 'write')).toBe(300);
    expect(count(buffered, 'fsync')).toBe(0);
    expect(fsyncP50).toBeGreaterThan(writeP50);
  });

  it('counts the reads of the sequential and random pread workloads exactly', async () => {
    const dir = scratch();
    const preads = async (name: string, n: number): Promise<number> => {
      const p = await traceWithEbpf(command([workload(name), String(n), join(dir, name)]));
      return count(p, 'pread64', p.exit!.pid);
    };
    // the dynamic loader does a couple of preads of its own: count them with N=0
    expect((await preads('seq_pread', 500)) - (await preads('seq_pread', 0))).toBe(500);
    expect((await preads('rand_pread', 700)) - (await preads('rand_pread', 0))).toBe(700);
  });

  it('follows children: a shell running two workloads is counted whole', async () => {
    const dir = scratch();
    const fw = workload('fsync_write');
    const p = await traceWithEbpf(command(['/bin/sh', '-c', `${fw} 50 ${dir}/x; ${fw} 70 ${dir}/y`]));
    expect(count(p, 'fsync')).toBe(120);
    const children = p.processes.filter((pr) => pr.comm === 'fsync_write');
    expect(children.map((c) => c.syscalls.find((s) => s.name === 'fsync')?.count).sort()).toEqual([50, 70]);
  });

  it('does not follow children with follow off', async () => {
    const dir = scratch();
    const fw = workload('fsync_write');
    const p = await traceWithEbpf(command(['/bin/sh', '-c', `${fw} 50 ${dir}/x; true`], { follow: false }));
    expect(count(p, 'fsync')).toBe(0);
    expect(count(p, 'wait4')).toBeGreaterThan(0);
  });

  it('reports the exit status of the command', async () => {
    const p = await traceWithEbpf(command(['/bin/sh', '-c', 'exit 3']));
    expect(p.exit).toMatchObject({ kind: 'exited', code: 3 });
    const k = await traceWithEbpf(command(['/bin/sh', '-c', 'kill -9 $$']));
    expect(k.exit).toMatchObject({ kind: 'killed', signal: 9 });
  });

  it('reports a call still blocked when tracing stops as in flight, not counted', async () => {
    const p = await traceWithEbpf(command(['/bin/sleep', '5'], { durationSec: 0.6 }));
    expect(p.stopReason).toBe('duration');
    const sleeping = p.inFlight.find((c) => c.syscall === 'clock_nanosleep');
    expect(sleeping).toBeDefined();
    expect(sleeping!.ageNs).toBeGreaterThan(0.3e9);
    expect(sleeping!.ageNs).toBeLessThan(5e9);
    expect(count(p, 'clock_nanosleep')).toBe(0);
  });
});

describe('tracing running processes', () => {
  it('attaches to an already running process with --pid and times its calls', async () => {
    const dir = scratch();
    const child = spawn(workload('fsync_write'), ['100000', join(dir, 'p')], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const p = await traceWithEbpf({
        target: { kind: 'pids', pids: [child.pid!] }, follow: false, durationSec: 1, intervalMs: 250, commandStdout: 'stderr',
      });
      const fsyncs = count(p, 'fsync', child.pid);
      const writes = count(p, 'write', child.pid);
      expect(fsyncs).toBeGreaterThan(10);
      // the loop alternates write and fsync; one call may straddle each end
      expect(Math.abs(fsyncs - writes)).toBeLessThanOrEqual(1);
      // nothing from other processes
      expect(p.processes.map((pr) => pr.tgid)).toEqual([child.pid]);
      // the call in progress at attach is counted as missed, never timed wrong
      expect(p.health.missedStarts).toBeLessThanOrEqual(1);
      expect(p.stopReason).toBe('duration');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('with --follow, also traces the children a running process had already started (a server and its workers)', async () => {
    const dir = scratch();
    // the parent only waits; its child, started before the trace, does the work
    const parent = spawn('/bin/sh', ['-c', `${workload('fsync_write')} 100000 ${join(dir, 'w')} & wait`], { stdio: 'ignore', detached: true });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const p = await traceWithEbpf({
        target: { kind: 'pids', pids: [parent.pid!] }, follow: true, durationSec: 1, intervalMs: 250, commandStdout: 'stderr',
      });
      const worker = p.processes.find((pr) => pr.tgid !== parent.pid);
      expect(worker).toBeDefined();
      expect(count(p, 'fsync', worker!.tgid)).toBeGreaterThan(10);
      // without --follow the worker stays out
      const alone = await traceWithEbpf({
        target: { kind: 'pids', pids: [parent.pid!] }, follow: false, durationSec: 0.5, intervalMs: 250, commandStdout: 'stderr',
      });
      expect(count(alone, 'fsync')).toBe(0);
    } finally {
      process.kill(-parent.pid!, 'SIGKILL');
    }
  });

  it('traces the whole system for a duration', async () => {
    // a quiet CI machine may make no syscall at all in half a second outside our own processes,
    // which the loader leaves out: keep one busy process running through the window
    const dir = scratch();
    const child = spawn(workload('fsync_write'), ['100000', join(dir, 'w')], { stdio: 'ignore' });
    let p: Profile;
    try {
      await new Promise((r) => setTimeout(r, 100));
      p = await traceWithEbpf({ target: { kind: 'all' }, follow: false, durationSec: 0.5, intervalMs: 100, commandStdout: 'stderr' });
    } finally {
      child.kill('SIGKILL');
    }
    expect(p.syscalls.length).toBeGreaterThan(0);
    // the busy process is seen like any other
    expect(count(p, 'fsync', child.pid)).toBeGreaterThan(0);
    expect(p.stopReason).toBe('duration');
    expect(p.durationNs).toBeGreaterThan(0.4e9);
    // our own cost, from the kernel's run-time statistics
    expect(p.cost.enabled).toBe(true);
    expect(p.cost.programs.some((c) => c.name === 'sp_sys_exit' && c.runCount > 0)).toBe(true);
    expect(p.cost.memoryBytes).toBeGreaterThan(0);
  });
});

describe('stopping a trace by AbortSignal', () => {
  it('stops on abort: the final profile comes back, the command it started ends, no BPF program is left', async () => {
    const dir = scratch();
    const stop = new AbortController();
    const loop = `while :; do ${workload('fsync_write')} 20 ${join(dir, 'f')}; done`;
    let snapshots = 0;
    let abortedAt = 0;
    const p = await traceWithEbpf(
      command(['/bin/sh', '-c', loop]),
      (s) => {
        if (s.final || ++snapshots !== 2) return;
        abortedAt = Date.now();
        stop.abort();
      },
      { signal: stop.signal },
    );
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(3000);
    expect(p.final).toBe(true);
    expect(p.stopReason).toBe('signal');
    expect(count(p, 'fsync')).toBeGreaterThan(0);
    // the loop alternates write and fsync; the stop may fall between the two
    expect(Math.abs(count(p, 'fsync') - count(p, 'write'))).toBeLessThanOrEqual(1);
    // the shell loop went with the trace
    const shells = p.processes.filter((pr) => pr.comm === 'sh').map((pr) => pr.tgid);
    expect(shells.length).toBeGreaterThan(0);
    expect(await eventually(() => shells.every((pid) => !alive(pid)), 5000)).toBe(true);
    expect(await programsLeftAfter()).toEqual([]);
  });

  it('stops tracing running processes on abort and leaves them running', async () => {
    const dir = scratch();
    const child = spawn(workload('fsync_write'), ['100000', join(dir, 'p')], { stdio: 'ignore' });
    try {
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 700);
      const p = await traceWithEbpf(
        { target: { kind: 'pids', pids: [child.pid!] }, follow: false, durationSec: null, intervalMs: 200, commandStdout: 'stderr' },
        undefined,
        { signal: stop.signal },
      );
      expect(p.final).toBe(true);
      expect(p.stopReason).toBe('signal');
      expect(count(p, 'fsync', child.pid)).toBeGreaterThan(0);
      expect(alive(child.pid!)).toBe(true);
      expect(await programsLeftAfter()).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('tracing a cgroup', () => {
  it('counts only the tasks inside the cgroup', async () => {
    const cg = `/sys/fs/cgroup/unified/syscall-prof-it-${process.pid}`;
    const dir = scratch();
    mkdirSync(cg);
    try {
      const fw = workload('fsync_write');
      let started: Promise<unknown> | null = null;
      const p = await traceWithEbpf(
        { target: { kind: 'cgroup', path: cg }, follow: false, durationSec: 3, intervalMs: 100, commandStdout: 'stderr' },
        () => {
          // once tracing runs: one workload inside the cgroup, one outside
          started ??= Promise.all([
            execa('/bin/sh', ['-c', `echo $$ > ${cg}/cgroup.procs && exec ${fw} 100 ${dir}/in`]),
            execa(fw, ['50', `${dir}/out`]),
          ]);
        },
      );
      await started;
      expect(count(p, 'fsync')).toBe(100);
      expect(p.processes.filter((pr) => pr.comm === 'fsync_write')).toHaveLength(1);
    } finally {
      rmdirSync(cg);
    }
  });

  it('rejects a directory that is not a cgroup v2', async () => {
    const r = await execa(loader, ['--cgroup', '/tmp'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--cgroup \/tmp: not a cgroup v2 directory/);
  });
});

describe('the loader on its own', () => {
  it('rejects an unknown pid with a one-line error and exit 2', async () => {
    const r = await execa(loader, ['--pid', '999999999'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/999999999: no such process/);
    expect(r.stdout).toBe('');
  });

  it('refuses to load without privileges: one line, exit 4', async () => {
    const r = await execa(loader, ['--duration', '0.1'], { uid: 65534, gid: 65534, reject: false });
    expect(r.exitCode).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/needs root \(or CAP_BPF and CAP_PERFMON\)/);
  });

  it('rejects a bad number with exit 2', async () => {
    const r = await execa(loader, ['--interval', '5ms'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--interval: '5ms' is not a whole number/);
  });

  it('writes a final snapshot and detaches on SIGINT', async () => {
    const child = execa(loader, ['--all', '--interval', '100'], { encoding: 'buffer', reject: false });
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(0);
    expect((r.stdout as Uint8Array).length).toBeGreaterThan(0);
  });

  it('exits when its stdout is closed', async () => {
    const child = spawn(loader, ['--all', '--interval', '50'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((r) => child.stdout.once('data', r));
    child.stdout.destroy();
    expect(await eventually(() => child.exitCode !== null, 5000)).toBe(true);
  });

  it('exits when its parent dies', async () => {
    const r = await execa('/bin/sh', ['-c', `${loader} --all > /dev/null 2>&1 & echo $!; sleep 0.5`]);
    const pid = Number(r.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    expect(await eventually(() => !alive(pid), 5000)).toBe(true);
  });
});

describe('the CLI', () => {
  it('runs a command as SUDO_UID/SUDO_GID and prints the summary table', async () => {
    const r = await execa(process.execPath, [cli, 'trace', '--', '/bin/sh', '-c', 'id -u; id -g'], {
      env: { SUDO_UID: '65534', SUDO_GID: '65534' }, reject: false,
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^65534\n65534\n/);
    expect(r.stdout).toMatch(/Syscall\s+Count\s+Errors\s+Total\s+Avg\s+p50\s+p99\s+Max/);
  });

  it('trace --command with --json gives exact counts', async () => {
    const dir = scratch();
    const r = await execa(process.execPath, [cli, 'trace', '--json', '--command', `${workload('fsync_write')} 200 ${dir}/j`], { reject: false });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { syscalls: { name: string; count: number }[] };
    expect(out.syscalls.find((s) => s.name === 'fsync')?.count).toBe(200);
  });
});
