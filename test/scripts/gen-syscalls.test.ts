import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSCALL_ARGS } from '../../src/core/model/generated/syscalls.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = join(root, 'scripts/gen-syscalls.mjs');

let dir = '';

// Runs the generator into the temp dir; its stderr on failure.
function generate(args: string[] = []): void {
  execFileSync(process.execPath, [script, '--c-dir', join(dir, 'gen'), '--ts', join(dir, 'syscalls.ts'), ...args], { stdio: 'pipe' });
}

// The #defines of a generated header, name -> value.
function defines(arch: string): Map<string, string> {
  const text = readFileSync(join(dir, 'gen', `syscalls_${arch}.h`), 'utf8');
  return new Map([...text.matchAll(/^#define (\w+) (.+)$/gm)].map((m) => [m[1]!, m[2]!]));
}

// The X(nr, kind, arg) entries of a header's SP_DATA_SPECS.
function dataSpecs(arch: string): string[] {
  const text = readFileSync(join(dir, 'gen', `syscalls_${arch}.h`), 'utf8');
  return [...text.matchAll(/X\((\d+), (DATA_\w+), (\d)\) \/\* (\w+) \*\//g)].map((m) => `${m[4]} ${m[1]} ${m[2]} ${m[3]}`);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gen-syscalls-'));
  generate();
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('gen-syscalls', () => {
  it.each([
    ['x86_64', 'x86_64', { read: 0, write: 1, openat: 257, execve: 59, execveat: 322, readv: 19, writev: 20, clone3: 435, file_setattr: 469 }],
    ['arm64', 'aarch64', { read: 63, write: 64, openat: 56, execve: 221, execveat: 281, readv: 65, writev: 66, clone3: 435, file_setattr: 469 }],
  ])('writes the %s numbers the BPF code uses', (arch, uname, numbers) => {
    const d = defines(arch);
    expect(d.get('SP_ARCH')).toBe(`"${uname}"`);
    expect(Number(d.get('SP_NR_COUNT'))).toBe(470);
    for (const [name, nr] of Object.entries(numbers)) expect(d.get(`SP_NR_${name}`), name).toBe(String(nr));
  });

  it('leaves out what arm64 does not have', () => {
    expect(defines('arm64').has('SP_NR_open')).toBe(false);
    expect(defines('x86_64').get('SP_NR_open')).toBe('2');
  });

  it('writes the event-data specs by number, per architecture', () => {
    expect(dataSpecs('x86_64')).toHaveLength(48);
    expect(dataSpecs('x86_64')).toEqual(expect.arrayContaining([
      'open 2 DATA_PATH 0',
      'openat 257 DATA_PATH 1',
      'connect 42 DATA_SOCKADDR 1',
      'sendto 44 DATA_SOCKADDR 4',
      'recvfrom 45 DATA_SOCKADDR_PTRLEN 4',
      'accept4 288 DATA_SOCKADDR_PTRLEN 1',
      'socketpair 53 DATA_PIPE_FDS 3',
      'pipe2 293 DATA_PIPE_FDS 0',
      'faccessat2 439 DATA_PATH 1',
    ]));
    expect(dataSpecs('arm64')).toEqual(expect.arrayContaining(['openat 56 DATA_PATH 1', 'connect 203 DATA_SOCKADDR 1', 'pipe2 59 DATA_PIPE_FDS 0']));
    expect(dataSpecs('arm64').some((s) => s.startsWith('open '))).toBe(false);
  });

  it('writes a C header that compiles, with the loader-side table', () => {
    const prog = join(dir, 'specs.c');
    writeFileSync(prog, [
      '#include <stdio.h>',
      '#include <linux/types.h>',
      '#include "syscall_nrs.h"',
      '#define SPEC(nr, kind, arg) { nr, DATA_SPEC(kind, arg) },',
      'static const struct { unsigned nr, spec; } specs[] = { SP_DATA_SPECS(SPEC) };',
      'int main(void) { printf("%s %zu %u %u\\n", SP_ARCH, sizeof(specs) / sizeof(specs[0]), specs[0].nr, specs[0].spec); return 0; }',
      '',
    ].join('\n'));
    const exe = join(dir, 'specs');
    execFileSync(process.env.CC ?? 'cc', ['-Wall', '-Wextra', '-Werror', '-I', join(dir, 'gen'), '-I', join(root, 'bpf'), prog, '-o', exe]);
    const out = execFileSync(exe, { encoding: 'utf8' });
    // on x86_64, open (2) comes first and carries its path, argument 0: DATA_PATH << 4 | 0
    if (process.arch === 'x64') expect(out).toBe('x86_64 48 2 16\n');
    else expect(out).toMatch(/^aarch64 \d+ \d+ \d+\n$/);
  });

  it('writes the TS module the build uses', () => {
    expect(readFileSync(join(dir, 'syscalls.ts'), 'utf8')).toBe(readFileSync(join(root, 'src/core/model/generated/syscalls.ts'), 'utf8'));
    expect(SYSCALL_ARGS.get('openat')).toEqual(['dirfd', 'path']);
    expect(SYSCALL_ARGS.get('splice')).toEqual(['fd-in', '-', 'fd-out']);
  });

  it.each([
    ['an unknown kind', 'read fd buffer\n', /unknown argument kind "buffer"/],
    ['a name no architecture has', 'frobnicate fd\n', /annotates frobnicate, which no architecture has/],
    ['two carried arguments', 'rename path path\n', /carries more than one argument/],
    ['a carried argument past 4', 'sendto fd - - - - sockaddr\n', /carries argument 5/],
    ['a number the headers contradict', 'number 1 read\n', /read is 0 on x86_64, not 1/],
    ['a name twice', 'read fd\nread fd\n', /read is annotated twice/],
  ])('rejects %s', (_what, text, message) => {
    const args = join(dir, 'bad-args.txt');
    writeFileSync(args, text);
    let stderr = '';
    try {
      execFileSync(process.execPath, [script, '--c-dir', join(dir, 'bad'), '--ts', join(dir, 'bad.ts'), '--args', args], { stdio: 'pipe' });
    } catch (err) {
      stderr = String((err as { stderr: Buffer }).stderr);
    }
    expect(stderr).toMatch(message);
  });
});
