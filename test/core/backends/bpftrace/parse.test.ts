import { execaSync } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBpftraceLog } from '../../../../src/core/backends/bpftrace/open.js';
import { BpftraceParser } from '../../../../src/core/backends/bpftrace/parse.js';
import { bpftraceCommand, resolveProgram, runBpftrace } from '../../../../src/core/backends/bpftrace/run.js';
import { bpftraceScript } from '../../../../src/core/backends/bpftrace/script.js';
import { runPerfTrace } from '../../../../src/core/backends/perf/run.js';
import type { TraceRequest } from '../../../../src/core/backends/types.js';
import { BackendError, UsageError } from '../../../../src/core/errors.js';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/bpftrace');
const WORKLOAD = join(import.meta.dirname, '../../../../.output/workloads/fsync_write');

async function counts(path: string) {
  const capture = openBpftraceLog(path);
  const by = new Map<string, number>();
  let rows = 0;
  let errors = 0;
  for await (const b of capture.batches) {
    for (const r of b.rows()) {
      rows++;
      if (r.ret < 0) errors++;
      by.set(r.syscall, (by.get(r.syscall) ?? 0) + 1);
    }
  }
  return { capture, by, rows, errors };
}

describe('bpftrace script', () => {
  it('is the recorded fixture script for a command target', () => {
    expect(bpftraceScript({ kind: 'command', argv: ['x'] })).toBe(readFileSync(join(FIXTURES, 'command.bt'), 'utf8'));
  });
  it.each([
    [{ kind: 'pids', pids: [12, 34] }, '/pid == 12 || pid == 34/'],
    [{ kind: 'all' }, 'sys_enter  {'],
  ] as const)('%j', (target, fragment) => {
    expect(bpftraceScript(target)).toContain(fragment);
  });
});

describe('bpftrace -c command line', () => {
  it('resolves the program to one real path and passes plain arguments', () => {
    expect(bpftraceCommand(['ls', '-l', '/tmp'], (n) => (n === 'ls' ? '/usr/bin/ls' : null))).toBe('/usr/bin/ls -l /tmp');
    expect(resolveProgram('sh')).toMatch(/^\/.*\/(dash|bash|sh)$/);
  });
  it.each([['a b'], [''], ["it's"], ['say "hi"'], ['back\\slash']])('refuses %j as an argument', (arg) => {
    expect(() => bpftraceCommand(['/bin/echo', arg], (n) => n)).toThrow(UsageError);
  });
  it('refuses a program it cannot find', () => {
    expect(() => bpftraceCommand(['no-such-program-here'])).toThrow(/no-such-program-here: command not found or not executable/);
  });
  it('reads the exit status bpftrace prints at its end', () => {
    const p = new BpftraceParser('x');
    p.add('@exit: 512', 1);
    expect(p.stats.exitCode).toBe(512);
    expect(p.bad.count).toBe(0);
  });
});

describe('bpftrace output parser over recorded fixtures', () => {
  it.each([
    // file, calls, errors, [syscall, count]
    ['fsync-write.txt', 432, 1, ['fsync', 200]],
    ['fsync-write.txt', 432, 1, ['write', 200]],
    ['ls-enoent.txt', 155, 28, ['statx', 4]],
  ] as const)('%s: %i calls, %i errors', async (file, calls, errors, [name, count]) => {
    const { capture, by, rows, errors: failed } = await counts(join(FIXTURES, file));
    expect(rows).toBe(calls);
    expect(failed).toBe(errors);
    expect(by.get(name)).toBe(count);
    expect(capture.stats.lostEvents).toBe(0);
    expect(capture.final().meta.durationNs).toBeGreaterThan(0);
  });
});

function command(argv: string[]): TraceRequest {
  return { target: { kind: 'command', argv }, follow: true, durationSec: null, intervalMs: null, commandStdout: 'stderr' };
}

// strace -c -f's per-syscall call counts for a command
function straceCounts(argv: string[]): Map<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'strace-c-'));
  const out = join(dir, 'c.txt');
  execaSync('strace', ['-c', '-f', '-o', out, ...argv]);
  const by = new Map<string, number>();
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$/.exec(line);
    if (m !== null && m[2] !== 'total') by.set(m[2]!, Number(m[1]));
  }
  return by;
}

describe('cross-check with strace -c -f (real tools, root)', () => {
  it('bpftrace, perf and strace count the fsync_write workload alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xcheck-'));
    const strace = straceCounts([WORKLOAD, '200', join(dir, 's')]);
    const perf = (await runPerfTrace(command([WORKLOAD, '200', join(dir, 'p')]))).profile;
    const bt = (await runBpftrace(command([WORKLOAD, '200', join(dir, 'b')]))).profile;
    const perfBy = new Map(perf.syscalls.map((s) => [s.name, s.count]));
    const btBy = new Map(bt.syscalls.map((s) => [s.name, s.count]));
    expect(strace.get('fsync')).toBe(200);
    // exact, unless the tool says it lost events: then never more than the truth.
    // perf trace alone, in about 1 full test run of 8, misses one or two calls of
    // 200 without a LOST notice (never reproduced from a finished log: the calls
    // are not in perf's own output). It may fall short by 1%, never more, never over.
    const same = (tool: string, lost: number, name: string, got: number | undefined, want: number): void => {
      if (lost === 0 && tool !== 'perf') expect([tool, name, got]).toEqual([tool, name, want]);
      else {
        expect(got ?? 0).toBeLessThanOrEqual(want);
        if (lost === 0) expect(got ?? 0).toBeGreaterThanOrEqual(Math.floor(want * 0.99));
      }
    };
    const perfLost = perf.health.lostEvents;
    const btLost = bt.health.lostEvents;
    for (const [name, n] of strace) {
      // perf: the command's execve started before tracing (a `?` continuation), not timed
      if (name !== 'execve') same('perf', perfLost, name, perfBy.get(name), n);
      // bpftrace: one extra close() by bpftrace's own child before exec (fd of its pipe)
      if (name !== 'close') same('bpftrace', btLost, name, btBy.get(name), n);
    }
    same('bpftrace', btLost, 'close', btBy.get('close'), strace.get('close')! + 1);
    expect(perfBy.has('execve')).toBe(false);
    // exit_group never returns: no backend times it
    expect(perfBy.has('exit_group') || btBy.has('exit_group')).toBe(false);
  }, 60_000);

  it('reports the command\'s exit status, and refuses what bpftrace -c cannot carry', async () => {
    const r = await runBpftrace(command(['/bin/ls', '/nonexistent_dir']));
    expect(r.profile.exit).toMatchObject({ kind: 'exited', code: 2 });
    // a name found twice on a merged-/usr PATH (/bin/ls, /usr/bin/ls) runs: resolved to one binary
    const ok = await runBpftrace(command(['true']));
    expect(ok.profile.exit).toMatchObject({ kind: 'exited', code: 0 });
    await expect(runBpftrace(command(['/bin/echo', 'a b']))).rejects.toThrow(/bpftrace cannot pass the argument "a b"/);
  }, 60_000);

  it('names bpftrace and its first error line when the script fails', async () => {
    await expect(runBpftrace({ ...command([]), target: { kind: 'cgroup', path: '/nonexistent/cgroup' } })).rejects.toThrow(BackendError);
  }, 30_000);
});
