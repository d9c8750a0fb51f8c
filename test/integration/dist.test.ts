// The download of `make dist`: a tarball that runs where neither node nor
// libbpf is installed. Extracted into an empty directory, run with a PATH that
// holds no node, as root on the real kernel.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { canTrace, root, scratch } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const name = `syscall-prof-${version}-linux-x86_64`;
const tarball = join(root, '.output/dist-pkg', `${name}.tar.gz`);

// tools a user's shell would have, and no node: each one a symlink in PATH
const TOOLS = ['sh', 'true', 'ls', 'cat', 'env', 'sleep'];

let top: string; // the extracted package
let pathDir: string; // the only directory in PATH

// Runs the extracted CLI from an empty working directory with PATH=pathDir only.
async function run(args: string[], bin = join(top, 'bin/syscall-prof'), cwd = scratch()) {
  const r = await execa(bin, args, { cwd, env: { PATH: pathDir, NO_COLOR: '1' }, extendEnv: false, reject: false, stdin: 'ignore', timeout: 60_000 });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

beforeAll(() => {
  // `make test` built it already; alone, this builds it (once, a minute or so)
  execFileSync('make', ['-s', 'dist'], { cwd: root, stdio: 'inherit' });
  const dir = scratch();
  execFileSync('tar', ['-xzf', tarball, '-C', dir]);
  top = join(dir, name);
  pathDir = scratch();
  for (const tool of TOOLS) symlinkSync(execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(pathDir, tool));
}, 600_000);

describe('make dist', () => {
  it('packs the executable, the loader, the man page, the completions and the docs, nothing else', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter((f) => f !== '' && !f.endsWith('/'));
    expect(files.sort()).toEqual(
      [
        'bin/syscall-prof',
        'libexec/syscall-prof/syscall-prof-loader',
        'share/bash-completion/completions/syscall-prof',
        'share/doc/syscall-prof/README.md',
        'share/doc/syscall-prof/architecture.md',
        'share/man/man1/syscall-prof.1',
        'share/zsh/site-functions/_syscall-prof',
      ].map((f) => `${name}/${f}`),
    );
  });

  it('runs with no node reachable through PATH', async () => {
    const which = await execa('/bin/sh', ['-c', 'command -v node'], { env: { PATH: pathDir }, extendEnv: false, reject: false });
    expect(which.exitCode).not.toBe(0);
    expect(readdirSync(pathDir).sort()).toEqual([...TOOLS].sort());
  });

  it('is one ELF executable (node with the CLI inside), not a script', () => {
    const head = readFileSync(join(top, 'bin/syscall-prof')).subarray(0, 4);
    expect(head.toString('latin1')).toBe('\x7fELF');
  });

  it('prints the version of package.json', async () => {
    const r = await run(['--version']);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout.trim()).toBe(version);
  });

  it('doctor finds the packaged loader beside bin/', async () => {
    const r = await run(['doctor', '--json']);
    expect(r.exitCode).toBe(0);
    const checks = (JSON.parse(r.stdout) as { checks: { name: string; ok: boolean; detail: string }[] }).checks;
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(checks.find((c) => c.name === 'loader')?.detail).toBe(`loader at ${join(top, 'libexec/syscall-prof/syscall-prof-loader')}`);
  });

  it('finds its loader when started through a symlink in another directory', async () => {
    const links = scratch();
    symlinkSync(join(top, 'bin/syscall-prof'), join(links, 'syscall-prof'));
    const r = await run(['doctor'], join(links, 'syscall-prof'));
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`loader at ${join(top, 'libexec/syscall-prof/syscall-prof-loader')}`);
  });

  it('traces /bin/true with eBPF: exactly one execve and one exit_group', async () => {
    const r = await run(['trace', '--json', '--', '/bin/true']);
    expect(r.exitCode).toBe(0);
    const summary = JSON.parse(r.stdout) as { backend: string; exit: { kind: string; code: number }; syscalls: { name: string; count: number }[] };
    expect(summary.backend).toBe('ebpf');
    expect(summary.exit).toMatchObject({ kind: 'exited', code: 0 });
    const count = (n: string) => summary.syscalls.find((s) => s.name === n)?.count ?? 0;
    expect(count('execve')).toBe(1);
    expect(count('exit_group')).toBe(1);
  });

  it('the table of a traced command names it and its syscalls', async () => {
    const r = await run(['trace', '--', '/bin/true']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^execve +1 /m);
    expect(r.stdout).toMatch(/^exit_group +1 /m);
  });

  it('bad options get one line and exit 2', async () => {
    const r = await run(['trace', '--no-such-option']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("unknown option '--no-such-option'");
  });

  it('without its loader says in one line how to repair the install, exit 70', async () => {
    const loader = join(top, 'libexec/syscall-prof/syscall-prof-loader');
    renameSync(loader, `${loader}.away`);
    try {
      const r = await run(['trace', '--backend', 'ebpf', '--', '/bin/true']);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('reinstall syscall-prof');
      expect(r.exitCode).toBe(70);
    } finally {
      renameSync(`${loader}.away`, loader);
    }
  });

  it('the loader links nothing dynamically beyond glibc (libbpf, libelf, zlib, protobuf-c are inside)', () => {
    const loader = join(top, 'libexec/syscall-prof/syscall-prof-loader');
    const libs = execFileSync('ldd', [loader], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim().split(/\s/)[0] ?? '')
      .filter((l) => l !== '');
    expect(libs.length).toBeGreaterThan(0);
    for (const lib of libs) expect(lib).toMatch(/^(linux-vdso\.so\.1|libc\.so\.6|libm\.so\.6|\/lib64\/ld-linux-x86-64\.so\.2)$/);
    const needed = execFileSync('objdump', ['-p', loader], { encoding: 'utf8' }).match(/NEEDED\s+\S+/g) ?? [];
    expect(needed.map((n) => n.split(/\s+/)[1])).toEqual(['libc.so.6']);
  });
});

