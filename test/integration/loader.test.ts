// The loader on its own: options, the stdin stop channel, the command's process group.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameReader } from '../../src/core/wire/frame-reader.js';
import { decodeFrame, type WireFrame } from '../../src/core/wire/wire.js';
import { STOP_REASONS } from '../../src/core/wire/wire-enums.js';
import { canTrace, eventually, loader, programsLeftAfter, root, scratch } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

// A running loader whose frames are decoded as they come.
interface Run {
  readonly child: ChildProcessWithoutNullStreams;
  readonly frames: WireFrame[];
  readonly stderr: string[];
  readonly exited: Promise<number | null>;
}

function start(args: string[]): Run {
  const child = spawn(loader, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const reader = new FrameReader(decodeFrame, { source: 'loader stdout' });
  const frames: WireFrame[] = [];
  const stderr: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => frames.push(...reader.push(chunk).map((f) => f.frame)));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, frames, stderr, exited };
}

// The pid in the header (the command's, when there is one).
async function headerPid(run: Run): Promise<number> {
  expect(await eventually(() => run.frames.length > 0, 10000)).toBe(true);
  return run.frames[0]!.header!.pids[0]!;
}

// The stop reason of the last snapshot, in the model's words.
function stopReason(run: Run): string | undefined {
  const snap = finalSnapshot(run);
  return snap === null || snap === undefined ? undefined : STOP_REASONS.get(snap.stopReason);
}

function finalSnapshot(run: Run): WireFrame['snapshot'] {
  const last = run.frames.at(-1)?.snapshot ?? null;
  expect(last?.final).toBe(true);
  return last;
}

// Whether a process exists and is not a zombie.
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

// The process group of a process (field 5 of /proc/PID/stat).
function pgrpOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

afterEach(async () => {
  expect(await programsLeftAfter()).toEqual([]);
});

describe('--syscalls', () => {
  it('keeps each number once, however often it is given', async () => {
    const list = Array.from({ length: 600 }, (_, i) => i % 300).join(',');
    const run = start(['--events', '--syscalls', list, '--', '/bin/true']);
    expect(await run.exited).toBe(0);
    expect(run.frames[0]!.header!.eventSyscalls).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it('rejects a number beyond the table with exit 2', async () => {
    const r = await execa(loader, ['--events', '--syscalls', '1,512', '--', '/bin/true'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--syscalls: 512 is out of range 0\.\.511/);
    expect(r.stdout).toBe('');
  });
});

describe('the stdin stop channel', () => {
  it('with --stop-on-stdin-eof, EOF on stdin stops the loader like SIGTERM', async () => {
    const run = start(['--all', '--interval', '100', '--stop-on-stdin-eof']);
    await headerPid(run);
    run.child.stdin.end();
    expect(await run.exited).toBe(0);
    expect(stopReason(run)).toBe('signal');
  });

  it('without it, stdin is ignored', async () => {
    const run = start(['--all', '--interval', '100']);
    await headerPid(run);
    run.child.stdin.end();
    await new Promise((r) => setTimeout(r, 800));
    expect(run.child.exitCode).toBeNull();
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(stopReason(run)).toBe('signal');
  });

  it('gives the command the input of --child-stdin-fd while stdin stays the stop channel', async () => {
    const child = spawn(loader, ['--stop-on-stdin-eof', '--child-stdin-fd', '3', '--', 'wc', '-l'], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const input = child.stdio[3] as NodeJS.WritableStream;
    input.end('one\ntwo\nthree\n');
    // the command's stdout goes to the loader's stderr by default
    expect(await exited).toBe(0);
    expect(stderr.split('\n')).toContain('3');
  });
});

describe('the command', () => {
  it('runs in its own process group, which goes with the loader when it is stopped', async () => {
    const file = join(scratch(), 'bg.pid');
    const run = start(['--stop-on-stdin-eof', '--', '/bin/sh', '-c', `sleep 30 & echo $! > ${file}; wait`]);
    const pid = await headerPid(run);
    expect(await eventually(() => existsSync(file) && readFileSync(file, 'utf8').endsWith('\n'), 5000)).toBe(true);
    const grandchild = Number(readFileSync(file, 'utf8'));
    expect(pgrpOf(pid)).toBe(pid);
    expect(pgrpOf(grandchild)).toBe(pid);
    expect(pgrpOf(run.child.pid!)).not.toBe(pid);
    run.child.stdin.end();
    expect(await run.exited).toBe(0);
    expect(stopReason(run)).toBe('signal');
    expect(await eventually(() => !running(pid) && !running(grandchild), 3000)).toBe(true);
  });

  it('is killed after a grace period when it ignores SIGTERM', async () => {
    const run = start(['--', '/bin/sh', '-c', 'trap "" TERM; sleep 30; true']);
    const pid = await headerPid(run);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await eventually(() => !running(pid), 3000)).toBe(true);
  });

  it('keeps what it started when it exits by itself', async () => {
    const file = join(scratch(), 'bg.pid');
    const run = start(['--', '/bin/sh', '-c', `sleep 3 >/dev/null 2>&1 & echo $! > ${file}`]);
    expect(await run.exited).toBe(0);
    expect(stopReason(run)).toBe('target-exit');
    const grandchild = Number(readFileSync(file, 'utf8'));
    expect(running(grandchild)).toBe(true);
  });
});

describe('--foreground', () => {
  it('hands the terminal to an interactive command, and takes it back', async () => {
    // a pty from script(1): the shell reads a line after the loader has ended
    const inner = `${loader} --foreground -- /bin/sh -c 'read x; echo got $x' >/dev/null; read y; echo again $y`;
    const child = spawn('script', ['-qec', inner, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString().replace(/\r/g, '')));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise((r) => setTimeout(r, 500));
    child.stdin.write('hello\n');
    expect(await eventually(() => out.includes('got hello'), 10000)).toBe(true);
    child.stdin.write('world\n');
    expect(await eventually(() => out.includes('again world'), 10000)).toBe(true);
    child.stdin.end();
    expect(await exited).toBe(0);
  });

  it('needs a command', async () => {
    const r = await execa(loader, ['--foreground', '--all'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--foreground needs a command/);
  });
});

describe('the widening table (loader/test/widen_test.c)', () => {
  it('widens across a wrap, refuses when full, and reuses a forgotten slot from zero', async () => {
    const r = await execa(join(root, '.output/loader/widen-test'), { reject: false });
    expect(r.stdout).not.toMatch(/FAIL/);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('ok '))).toHaveLength(7);
    expect(r.exitCode).toBe(0);
  });
});

describe('libbpf messages', () => {
  it('only warnings without -v; its debug lines with -v', async () => {
    const quiet = await execa(loader, ['--all', '--duration', '0.2'], { encoding: 'buffer', reject: false });
    expect(quiet.exitCode).toBe(0);
    expect(Buffer.from(quiet.stderr).toString()).toBe('');
    const verbose = await execa(loader, ['-v', '--all', '--duration', '0.2'], { encoding: 'buffer', reject: false });
    expect(verbose.exitCode).toBe(0);
    expect(Buffer.from(verbose.stderr).toString()).toMatch(/^libbpf: /m);
  });
});
