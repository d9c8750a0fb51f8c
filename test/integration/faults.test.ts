// Faults found by red-teaming (issue 18), on the real loader: a loader that
// dies, a command that cannot run, a malformed SUDO_UID.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, runBuiltCli } from '../helpers/cli.js';
import { canTrace, programsLeftAfter, scratch } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

afterEach(async () => {
  expect(await programsLeftAfter()).toEqual([]);
});

function pidsOf(pattern: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

describe('the loader dies under the controller', () => {
  it('says so at once, exits 70, ends the command and leaves no temporary file', async () => {
    const dir = scratch();
    const out = join(dir, 'k.csv');
    // a sleep long enough to be unique on the machine
    const marker = String(900_000 + (process.pid % 90_000));
    const cli = spawn(process.execPath, [BIN, 'trace', '--output', out, '--', 'sleep', marker], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    // until the command runs under tracing
    for (let i = 0; i < 100 && pidsOf(`^sleep ${marker}$`).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const loaders = pidsOf(`syscall-prof-loader.*sleep ${marker}`);
    expect(loaders).toHaveLength(1);
    const killedAt = Date.now();
    process.kill(loaders[0]!, 'SIGKILL');
    const code = await exited;
    expect(Date.now() - killedAt).toBeLessThan(5000);
    expect(code).toBe(70);
    expect(stderr).toContain('syscall-prof: the eBPF loader was killed by SIGKILL');
    expect(pidsOf(`^sleep ${marker}$`)).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });
});

describe('a command that cannot run', () => {
  it.each([
    ['a directory', ['/tmp'], '/tmp: command not found or not executable'],
    ['a missing command', ['/nonexistent/prog'], '/nonexistent/prog: command not found or not executable'],
  ])('%s: exit 2, one line, no table', async (_name, argv, message) => {
    const r = await runBuiltCli(['trace', '--backend', 'ebpf', '--', ...argv]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`syscall-prof: ${message}\n`);
  });
});

describe('SUDO_UID and SUDO_GID', () => {
  it.each([
    [{ SUDO_UID: 'abc', SUDO_GID: '0' }, 'SUDO_UID="abc": expected a numeric id (as sudo sets it)'],
    [{ SUDO_UID: '1000', SUDO_GID: '-1' }, 'SUDO_GID="-1": expected a numeric id (as sudo sets it)'],
    [{ SUDO_UID: '1000' }, 'SUDO_UID is set but SUDO_GID is not: cannot tell which user to run the command as'],
    [{ SUDO_GID: '1000' }, 'SUDO_GID is set but SUDO_UID is not: cannot tell which user to run the command as'],
  ])('%j: exit 2, one line', async (env, message) => {
    const r = await runBuiltCli(['trace', '--backend', 'ebpf', '--', '/bin/true'], env);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(`syscall-prof: ${message}\n`);
  });

  it('runs the command as the sudo user when both are well formed', async () => {
    const r = await runBuiltCli(['trace', '--backend', 'ebpf', '--json', '--', '/usr/bin/id', '-u'], { SUDO_UID: '65534', SUDO_GID: '65534' });
    expect(r.exitCode).toBe(0);
    // --json sends the command's stdout to stderr
    expect(r.stderr).toContain('65534');
  });
});

describe('live and a full stdout', () => {
  it('live --json > /dev/full: one line, exit 74 (it said nothing and exited 0)', async () => {
    const quoted = [process.execPath, BIN, 'live', '--json', '--duration', '1'].map((a) => `'${a}'`).join(' ');
    let stderr = '';
    let code = 0;
    try {
      execFileSync('sh', ['-c', `${quoted} > /dev/full`], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      const e = err as { status: number; stderr: string };
      code = e.status;
      stderr = e.stderr;
    }
    expect(code).toBe(74);
    expect(stderr.split('\n').filter((l) => l.startsWith('syscall-prof: cannot write'))).toEqual(['syscall-prof: cannot write the output: no space left on the device']);
  });
});
