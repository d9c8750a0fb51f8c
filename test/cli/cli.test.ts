// The built CLI end to end: argument errors, exit codes, one-line messages. The
// loader is test/helpers/fake-loader.mjs here; test/integration/ uses the real one.
import { existsSync, mkdtempSync, chmodSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/cli.js';
import { fakeLoaderEnv } from '../helpers/fake-loader.js';
import { stopChannelArgs } from '../../src/core/backends/ebpf/args.js';

const NOBODY = 65534;

// stderr must be exactly one "syscall-prof: ..." line
function expectOneLine(stderr: string, message: string | RegExp): void {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr.startsWith('syscall-prof: ')).toBe(true);
  if (typeof message === 'string') expect(stderr).toBe(`syscall-prof: ${message}\n`);
  else expect(stderr).toMatch(message);
}

describe('CLI usage errors exit 2 with one line', () => {
  it.each<[string[], string | RegExp]>([
    [['trace', '--bogus'], "unknown option '--bogus'"],
    [['trace', '--jsn'], "unknown option '--jsn' (Did you mean --json?)"],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['trace'], /nothing to trace: give --pid PID, --command "CMD", -- CMD \[ARGS...\], --cgroup DIR or --all/],
    [['trace', '--all'], '--all needs --duration SEC'],
    [['trace', '--pid', '12', '--command', 'ls'], 'give only one of --pid, --command, -- CMD, --cgroup and --all'],
    [['trace', '--pid', 'abc'], /--pid <pid>' argument 'abc' is invalid/],
    [['trace', '--pid', '0'], /argument '0' is invalid/],
    [['trace', '--duration', '-1', '--all'], /argument '-1' is invalid/],
    [['trace', '--interval', '5', '--', 'true'], /expected an integer from 10 to 3600000/],
    [['trace', '--backend', 'dtrace', '--', 'true'], /Allowed choices are auto, ebpf, strace, perf, bpftrace/],
    [['trace', '--format', 'csv', '--', 'true'], '--format needs --output FILE (it applies to the captured calls)'],
    [['trace', '--sample', '0', '--', 'true'], /--sample <n>' argument '0' is invalid. expected an integer from 1 to 65536/],
    [['trace', '--sample', '65537', '--', 'true'], /expected an integer from 1 to 65536/],
    [['trace', '--sample', 'x', '--', 'true'], /--sample <n>' argument 'x' is invalid/],
    [['trace', '--sample', '16', '--output', 'x.csv', '--', 'true'], '--sample cannot be combined with --output: a capture records every call'],
    [['trace', '--sample', '16', '--backend', 'strace', '--', 'true'], '--sample needs the ebpf backend (strace times every call)'],
    [['live', '--sample', '16', '--events', '--', 'true'], '--sample cannot be combined with --events: event mode records every call'],
    [['agent', '--sample', '1.5', '--prometheus', '127.0.0.1:0'], /--sample <n>' argument '1.5' is invalid/],
  ])('%j', async (args, message) => {
    const r = await runBuiltCli(args);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr, message);
  });

  it('prints help and exits 2 without a subcommand', async () => {
    const r = await runBuiltCli([]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Usage: syscall-prof');
  });
});

describe('CLI help', () => {
  it('documents trace with examples and the percentile accuracy', async () => {
    const r = await runBuiltCli(['trace', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('EXAMPLES');
    expect(r.stdout).toContain('syscall-prof trace -- ls -l /usr');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      'p50/p99 are estimated from in-kernel histograms (log2 with 8 linear sub-buckets per power of two): within 12.5% of the true value per syscall, 25% per process.',
    );
    expect(r.stdout).toMatch(/-o, --output <file>\s+record every call to this file/);
  });

  it('prints the version of package.json with --version and -V', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await runBuiltCli([flag]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });
});

describe('CLI privileges', () => {
  it('refuses without root before spawning the loader (exit 77, one line)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syscall-prof-'));
    chmodSync(dir, 0o777);
    const argvFile = join(dir, 'argv.json');
    const asNobody = process.geteuid?.() === 0 ? NOBODY : undefined;
    const r = await runBuiltCli(['trace', '--backend', 'ebpf', '--', 'true'], fakeLoaderEnv('ok', { FAKE_ARGV_FILE: argvFile }), asNobody);
    expect(r.exitCode).toBe(77);
    expectOneLine(r.stderr, 'tracing with eBPF needs root (or CAP_BPF and CAP_PERFMON): run it with sudo');
    expect(existsSync(argvFile)).toBe(false);
  });
});

describe.skipIf(process.geteuid?.() !== 0)('CLI backend choice (run as nobody)', () => {
  it('falls back to strace without privileges, and says so in one line', async () => {
    const r = await runBuiltCli(['trace', '--', '/bin/true'], { ...process.env }, NOBODY);
    expect(r.exitCode).toBe(0);
    const notes = r.stderr.trimEnd().split('\n').filter((l) => l.startsWith('syscall-prof: backend'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^syscall-prof: backend strace, because eBPF cannot run here \(.+\): .*slower/);
    expect(r.stdout).toMatch(/Backend:\s+strace/);
    expect(r.stdout).toMatch(/execve\s+1\s/);
  });
});

describe.skipIf(process.geteuid?.() !== 0)('CLI trace with a fake loader (as root)', () => {
  it('prints the report, with the command\'s stdout on stdout', async () => {
    const r = await runBuiltCli(['trace', '--backend', 'ebpf', '--top', '5', '--', 'echo', 'hi'], fakeLoaderEnv('ok'));
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('child output\nSyscall Profiling Report\n')).toBe(true);
    expect(r.stdout).toContain('Command:        echo hi (PID 4242), with children\n');
    expect(r.stdout).toContain('Exit status:    exited with code 3\n');
    expect(r.stdout).toMatch(/\nread +2 +0 +10 ns +5 ns +5 ns +5 ns +5 ns\n/);
  });

  it('passes what the user asked to the loader', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syscall-prof-'));
    const argvFile = join(dir, 'argv.json');
    await runBuiltCli(['trace', '--backend', 'ebpf', '--command', 'echo hi', '--no-follow', '-d', '2.5', '-i', '100'], fakeLoaderEnv('ok', { FAKE_ARGV_FILE: argvFile }));
    const { readFileSync } = await import('node:fs');
    expect(JSON.parse(readFileSync(argvFile, 'utf8'))).toEqual([
      ...stopChannelArgs(),
      // the command reads our stdin through the loader
      '--child-stdin-fd',
      '4',
      // and writes to our stderr itself
      '--child-stderr-fd',
      '5',
      '--interval',
      '100',
      '--duration',
      '2.5',
      '--child-stdout-fd',
      '3',
      '--',
      // a plain command line runs as its words, without a shell
      'echo',
      'hi',
    ]);
  });

  it('keeps stdout pure JSON with --json', async () => {
    const r = await runBuiltCli(['trace', '--backend', 'ebpf', '--json', '--', 'echo', 'hi'], fakeLoaderEnv('ok'));
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('child output\n');
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'syscall-prof/summary', totals: { calls: 2 } });
  });

  it.each([
    ['usage', 2, 'no such process: 999999'],
    ['perm', 77, 'permission denied: loading BPF programs: Operation not permitted'],
  ])('maps loader scenario %s to exit %i with its message, said once', async (scenario, code, message) => {
    const r = await runBuiltCli(['trace', '--backend', 'ebpf', '--', 'true'], fakeLoaderEnv(scenario));
    expect(r.exitCode).toBe(code);
    // a start-up failure: the loader's own line is what our one-line summary says
    expect(r.stderr).toBe(`syscall-prof: ${message}\n`);
  });

  it('maps a loader failure while tracing to exit 70: its line as it came, then our summary', async () => {
    const r = await runBuiltCli(['trace', '--backend', 'ebpf', '--', 'true'], fakeLoaderEnv('fail'));
    expect(r.exitCode).toBe(70);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^syscall-prof-loader: /);
    expect(lines.slice(1)).toEqual(['syscall-prof: the eBPF loader failed (exit 1): ring buffer poll: Bad address']);
  });

  it('reports a truncated frame stream as an input error (exit 65)', async () => {
    const r = await runBuiltCli(['trace', '--backend', 'ebpf', '--', 'true'], fakeLoaderEnv('truncated'));
    expect(r.exitCode).toBe(65);
    expectOneLine(r.stderr, /^syscall-prof: loader stdout: truncated frame at byte offset \d+: expected \d+ bytes, got 6\n$/);
  });
});

describe('CLI doctor', () => {
  it('fails the loader check with a fix, as JSON, exit 1', async () => {
    const r = await runBuiltCli(['doctor', '--json'], { SYSCALL_PROF_LOADER: '/nonexistent/loader' });
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.checks.map((c: { name: string }) => c.name)).toEqual(['privileges', 'kernel', 'btf', 'tracepoints', 'loader']);
    expect(report.checks[4]).toEqual({ name: 'loader', ok: false, detail: 'no executable loader at /nonexistent/loader', fix: 'run `make build`' });
  });

  it('prints a fix line for each failure in text form', async () => {
    const r = await runBuiltCli(['doctor'], { SYSCALL_PROF_LOADER: '/nonexistent/loader' });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/FAIL +loader +no executable loader at \/nonexistent\/loader\n +-> run `make build`\n/);
  });
});
