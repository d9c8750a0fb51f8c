// The download of `make dist`: a tarball that runs where neither node nor
// libbpf is installed. Extracted into an empty directory, run with a PATH that
// holds no node, as root on the real kernel.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canTrace, root, scratch } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const name = `syscall-prof-${version}-linux-${execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim()}`;
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
        'share/doc/syscall-prof/grafana-panel.json',
        'share/doc/syscall-prof/promql.md',
        'share/doc/syscall-prof/syscall-prof-agent.service',
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

  // the bundle carries the protobuf decoders, the wasm histograms and the report's charts
  it.each([
    ['analyze --json (csv)', ['analyze', '--json', '--input', 'test/fixtures/offline/fsync_write-200.csv']],
    ['analyze (spb)', ['analyze', '--input', 'test/fixtures/capture/fsync_write-20.events.spb']],
    ['histogram', ['histogram', '--input', 'test/fixtures/offline/fsync_write-200.csv', '--syscall', 'fsync']],
    ['report', ['report', '--input', 'test/fixtures/offline/fsync_write-200.csv']],
  ])('%s of a real capture prints what the clone prints', async (_label, args) => {
    const absolute = args.map((a) => (a.startsWith('test/') ? join(root, a) : a));
    const packaged = await run(absolute);
    const clone = await execa(process.execPath, [join(root, 'bin/syscall-prof.js'), ...absolute], { reject: false, env: { NO_COLOR: '1' } });
    expect(packaged.exitCode).toBe(0);
    expect(packaged.stdout.length).toBeGreaterThan(200);
    expect(packaged.stdout).toBe(String(clone.stdout));
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


// the subcommands `syscall-prof --help` lists (commander's own help: the source of truth)
function helpCommands(helpText: string): string[] {
  const section = helpText.slice(helpText.indexOf('Commands:'));
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!);
}

describe('make install', () => {
  let dest: string;
  const prefix = '/usr/local';
  const at = (f: string) => join(dest, prefix, f);

  beforeAll(() => {
    dest = scratch();
    execFileSync('make', ['-s', 'install', `PREFIX=${prefix}`, `DESTDIR=${dest}`], { cwd: root, stdio: 'pipe' });
  }, 600_000);

  it('installs the executable, the loader, the man page, the completions and the docs under PREFIX', () => {
    const files = execFileSync('find', [dest, '-type', 'f', '-printf', '%P %m\n'], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(files).toEqual([
      'usr/local/bin/syscall-prof 755',
      'usr/local/libexec/syscall-prof/syscall-prof-loader 755',
      'usr/local/share/bash-completion/completions/syscall-prof 644',
      'usr/local/share/doc/syscall-prof/README.md 644',
      'usr/local/share/doc/syscall-prof/architecture.md 644',
      'usr/local/share/doc/syscall-prof/grafana-panel.json 644',
      'usr/local/share/doc/syscall-prof/promql.md 644',
      'usr/local/share/doc/syscall-prof/syscall-prof-agent.service 644',
      'usr/local/share/man/man1/syscall-prof.1 644',
      'usr/local/share/zsh/site-functions/_syscall-prof 644',
    ]);
  });

  it('the installed command works from any directory and finds its loader under libexec', async () => {
    const r = await run(['doctor'], at('bin/syscall-prof'), '/');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`loader at ${at('libexec/syscall-prof/syscall-prof-loader')}`);
  });

  it('the man page renders without a warning and has every command', async () => {
    const page = at('share/man/man1/syscall-prof.1');
    const groff = await execa('groff', ['-ww', '-man', '-Tutf8', '-z', page], { reject: false });
    expect(groff).toMatchObject({ exitCode: 0, stderr: '' });
    const man = await execa('man', ['-l', page], { env: { MANWIDTH: '100', MANPAGER: 'cat', PAGER: 'cat' }, reject: false });
    expect(man.exitCode).toBe(0);
    expect(man.stderr).toBe('');
    expect(man.stdout).toMatch(/^SYSCALL-PROF\(1\)/);
    const help = await run(['--help'], at('bin/syscall-prof'));
    const commands = helpCommands(help.stdout).filter((c) => c !== 'help');
    expect(commands).toContain('trace');
    expect(commands.length).toBeGreaterThan(8);
    for (const c of commands) expect(man.stdout).toContain(`syscall-prof ${c} [options]`);
    // the options and the text after them come from each command's --help
    expect(man.stdout).toContain('--ringbuf-mb <n>');
    expect(man.stdout).toContain('sudo syscall-prof trace --pid 1234 --duration 10');
  });

  it('the bash completion parses and completes the subcommands and option values', async () => {
    const file = at('share/bash-completion/completions/syscall-prof');
    expect((await execa('bash', ['-n', file], { reject: false })).exitCode).toBe(0);
    const complete = async (...words: string[]) => {
      const script = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _syscall_prof; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const r = await execa('bash', ['-c', script, 'bash', file, ...words]);
      return r.stdout.split('\n').filter((w) => w !== '');
    };
    const help = await run(['--help'], at('bin/syscall-prof'));
    expect(await complete('syscall-prof', '')).toEqual([...helpCommands(help.stdout), '--help', '--version']);
    expect(await complete('syscall-prof', 'tr')).toEqual(['trace']);
    expect(await complete('syscall-prof', 'trace', '--back')).toEqual(['--backend']);
    expect(await complete('syscall-prof', 'trace', '--backend', '')).toEqual(['auto', 'ebpf', 'strace', 'perf', 'bpftrace']);
    expect(await complete('syscall-prof', 'analyze', '--sk')).toEqual(['--skip-bad']);
  });

  it('the zsh completion parses and names every command', async () => {
    const file = at('share/zsh/site-functions/_syscall-prof');
    expect((await execa('zsh', ['-n', file], { reject: false })).exitCode).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('#compdef syscall-prof');
    const help = await run(['--help'], at('bin/syscall-prof'));
    for (const c of helpCommands(help.stdout)) expect(text).toContain(`'${c}:`);
  });

  it('make uninstall removes every file it installed', () => {
    execFileSync('make', ['-s', 'uninstall', `PREFIX=${prefix}`, `DESTDIR=${dest}`], { cwd: root, stdio: 'pipe' });
    expect(execFileSync('find', [dest, '-type', 'f'], { encoding: 'utf8' })).toBe('');
  });
});

describe('make deb', () => {
  const arch = execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim();
  const deb = join(root, '.output/dist-pkg', `syscall-prof_${version}_${arch}.deb`);

  beforeAll(() => {
    execFileSync('make', ['-s', 'deb'], { cwd: root, stdio: 'inherit' });
  }, 900_000);

  // the test installs the package for real (CI machines are disposable): never leave it behind
  afterAll(() => {
    execFileSync('/bin/sh', ['-c', 'dpkg-query -W syscall-prof >/dev/null 2>&1 && dpkg --purge syscall-prof >/dev/null || true']);
  });

  function field(name: string): string {
    return execFileSync('dpkg-deb', ['--field', deb, name], { encoding: 'utf8' }).trim();
  }

  it('has the package fields, the version of package.json and the architecture', () => {
    const info = execFileSync('dpkg-deb', ['--info', deb], { encoding: 'utf8' });
    expect(info).toContain(' Package: syscall-prof\n');
    expect(field('Version')).toBe(version);
    expect(field('Architecture')).toBe(arch);
    expect(arch).toBe(process.arch === 'x64' ? 'amd64' : 'arm64');
    expect(field('Maintainer')).not.toBe('');
    expect(Number(field('Installed-Size'))).toBeGreaterThan(50_000);
  });

  // the package that holds a library (with merged /usr, dpkg knows some under /lib, some under /usr/lib)
  function owner(lib: string): string {
    for (const path of [lib, `/usr${lib}`, realpathSync(lib)]) {
      const r = spawnSync('dpkg', ['-S', path], { encoding: 'utf8' });
      if (r.status === 0) return r.stdout.split(':')[0]!;
    }
    throw new Error(`no package holds ${lib}`);
  }

  it('depends on exactly the packages of the shared libraries its two ELF files load', () => {
    const owners = new Set<string>();
    for (const f of ['usr/bin/syscall-prof', 'usr/libexec/syscall-prof/syscall-prof-loader']) {
      const file = join(root, '.output/dist-pkg/deb/root', f);
      for (const m of execFileSync('ldd', [file], { encoding: 'utf8' }).matchAll(/(\/\S+\.so[.\d]*)/g)) {
        owners.add(owner(m[1]!));
      }
    }
    const depends = field('Depends').split(',').map((d) => d.trim().split(' ')[0]!);
    expect(new Set(depends)).toEqual(owners);
    expect(depends).toContain('libc6');
    // libbpf, libelf, zlib and protobuf-c are linked in, node is embedded
    for (const name of ['libbpf1', 'libelf1', 'zlib1g', 'libprotobuf-c1', 'nodejs']) expect(depends).not.toContain(name);
  });

  it('installs with dpkg -i, runs from PATH, and dpkg -r leaves nothing behind', async () => {
    execFileSync('dpkg', ['-i', deb], { stdio: 'pipe' });
    const files = execFileSync('dpkg', ['-L', 'syscall-prof'], { encoding: 'utf8' }).trim().split('\n');
    expect(files).toContain('/usr/bin/syscall-prof');
    expect(files).toContain('/usr/libexec/syscall-prof/syscall-prof-loader');
    expect(files).toContain('/usr/share/man/man1/syscall-prof.1.gz');
    const r = await execa('syscall-prof', ['--version'], { cwd: scratch(), env: { PATH: `${pathDir}:/usr/bin` }, extendEnv: false, reject: false });
    expect(r.stdout.trim()).toBe(version);
    const doctor = await execa('/usr/bin/syscall-prof', ['doctor'], { reject: false });
    expect(doctor.stdout).toContain('loader at /usr/libexec/syscall-prof/syscall-prof-loader');
    expect(doctor.exitCode).toBe(0);

    execFileSync('dpkg', ['-r', 'syscall-prof'], { stdio: 'pipe' });
    const status = await execa('dpkg-query', ['-W', '-f=${Status}', 'syscall-prof'], { reject: false });
    expect(status.exitCode !== 0 || /not-installed/.test(String(status.stdout))).toBe(true);
    const left = files.filter((f) => existsSync(f) && !['/.', '/usr', '/usr/bin', '/usr/libexec', '/usr/share', '/usr/share/doc', '/usr/share/man', '/usr/share/man/man1', '/usr/share/bash-completion', '/usr/share/bash-completion/completions', '/usr/share/zsh', '/usr/share/zsh/site-functions'].includes(f));
    expect(left).toEqual([]);
  });
});
