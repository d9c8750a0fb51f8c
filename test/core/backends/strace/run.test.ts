// Runs the real strace (no root needed: it traces a command it starts) on the
// workloads built by `make workloads`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { runStrace, type StraceRunOptions } from '../../../../src/core/backends/strace/run.js';
import { BackendError } from '../../../../src/core/errors.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';

const FSYNC_WRITE = fileURLToPath(new URL('../../../../.output/workloads/fsync_write', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'strace-run-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function trace(options: StraceRunOptions): Promise<{ events: SyscallEvent[]; run: Awaited<ReturnType<typeof runStrace>> }> {
  const run = await runStrace(options);
  const events: SyscallEvent[] = [];
  for await (const b of run.batches) events.push(...b.rows());
  return { events, run };
}

// Per-syscall call counts from `strace -c -f` (its table: % time, seconds, usecs/call, calls, [errors], syscall).
async function straceSummary(argv: readonly string[]): Promise<Map<string, number>> {
  const out = join(dir, 'summary.txt');
  await execa('strace', ['-c', '-f', '-o', out, '--', ...argv], { stdout: 'ignore' });
  const counts = new Map<string, number>();
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 5 || !/^\d+\.\d+$/.test(cols[0]!) || cols.at(-1) === 'total') continue;
    counts.set(cols.at(-1)!, Number(cols[3]));
  }
  return counts;
}

function countBy(events: readonly SyscallEvent[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of events) m.set(e.syscall, (m.get(e.syscall) ?? 0) + 1);
  return m;
}

describe('strace runner', () => {
  it('counts the same calls as strace -c -f for fsync_write 200 (exit_group aside)', async () => {
    const file = join(dir, 'fsync.dat');
    const argv = [FSYNC_WRITE, '200', file];
    const expected = await straceSummary(argv);
    const { events, run } = await trace({ target: { kind: 'command', argv }, follow: true, durationSec: null, commandStdout: 'stderr' });
    const ours = countBy(events);
    // strace -c leaves out calls that never return: exit_group(0) = ?
    expect(ours.get('exit_group')).toBe(1);
    expect(expected.has('exit_group')).toBe(false);
    ours.delete('exit_group');
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(expected));
    expect(expected.get('fsync')).toBe(200);
    expect(expected.get('write')).toBe(200);

    const { profile, meta } = run.final();
    expect(meta.backend).toBe('strace');
    expect(profile.exit).toMatchObject({ kind: 'exited', code: 0 });
    expect(profile.stopReason).toBe('target-exit');
    const fsync = profile.syscalls.find((s) => s.name === 'fsync')!;
    expect([fsync.count, fsync.nr, fsync.histogram.total, fsync.histogram.layout]).toEqual([200, 74, 200, { subBits: 3, buckets: 336 }]);
    expect(fsync.histogram.percentile(0.5, fsync.maxNs)).toBeGreaterThan(0);
    expect(profile.processes).toHaveLength(1);
    expect(profile.processes[0]!.comm).toBe('fsync_write');
    // -yy gives the file; the fd table agrees
    expect(new Set(events.filter((e) => e.syscall === 'fsync').map((e) => e.path))).toEqual(new Set([file]));
    expect(run.problems().badLines).toBe(0);
  });

  it('stops after --duration with SIGINT', async () => {
    const started = Date.now();
    const { events, run } = await trace({ target: { kind: 'command', argv: ['sleep', '3'] }, follow: true, durationSec: 0.5 });
    expect(Date.now() - started).toBeLessThan(2500);
    const { profile } = run.final();
    expect(profile.stopReason).toBe('duration');
    // strace detached inside clock_nanosleep: in flight, not an event
    expect(profile.inFlight.map((c) => c.syscall)).toEqual(['clock_nanosleep']);
    expect(events.some((e) => e.syscall === 'clock_nanosleep')).toBe(false);
  });

  it('attaches to a pid of ours', async () => {
    const child = spawn('sh', ['-c', 'while :; do cat /etc/hostname >/dev/null; sleep 0.05; done'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const { events, run } = await trace({ target: { kind: 'pids', pids: [child.pid!] }, follow: true, durationSec: 0.6 });
      expect(events.some((e) => e.syscall === 'openat' && e.path === '/etc/hostname')).toBe(true);
      expect(run.final().meta.target).toBe(`pid ${child.pid}, with children`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('names the package when strace is missing', async () => {
    const err = await runStrace({ target: { kind: 'command', argv: ['true'] }, follow: true, durationSec: null, strace: 'strace-not-here' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toBe('strace-not-here is not installed (apt-get install strace)');
  });
});
