// `live` end to end: the real CLI, loader and kernel; the screen in a real
// terminal (tmux), batch and JSON output through pipes, --output then analyze.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { canTrace, cli, eventually, scratch, workload } from '../helpers/kernel.js';
import { LoaderWatch, stillLoaded } from '../helpers/loader-programs.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

// the loaders this file's runs started (other people's loaders may run on the machine too)
let watches: LoaderWatch[] = [];
function watch(root: () => number | null | undefined): LoaderWatch {
  const w = new LoaderWatch(() => root() ?? null);
  watches.push(w);
  return w;
}

// after every test: no BPF program of the loaders it started is left
afterEach(async () => {
  for (const w of watches) w.stop();
  const ids = watches.flatMap((w) => [...w.ids]);
  watches = [];
  expect(await stillLoaded(ids)).toEqual([]);
});

async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const child = execa(process.execPath, [cli, ...args], { reject: false, env: { NO_COLOR: '1' } });
  watch(() => child.pid);
  const r = await child;
  if (r.exitCode !== 0) throw new Error(`syscall-prof ${args.join(' ')} exited ${r.exitCode}: ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

// whether `sh -c CMD` still runs
function running(cmd: string): boolean {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .some((line) => line === `/bin/sh -c ${cmd}`);
}

interface JsonSnapshot {
  readonly seq: number;
  readonly final: boolean;
  readonly calls: number;
  readonly syscalls: { name: string; calls: number; errors: number }[];
  readonly processes: { pid: number; name: string; cgroup?: { path: string } | null }[];
}

// sum of one syscall's calls over every snapshot
function total(snaps: readonly JsonSnapshot[], name: string): number {
  return snaps.reduce((n, s) => n + (s.syscalls.find((r) => r.name === name)?.calls ?? 0), 0);
}

describe('live --json and --batch', () => {
  it('reports every call of a command exactly once across the intervals', async () => {
    const dir = scratch();
    const { stdout } = await run(['live', '--json', '-i', '100ms', '--', workload('fsync_write'), '1500', join(dir, 'data')]);
    const snaps = stdout.trim().split('\n').map((l) => JSON.parse(l) as JsonSnapshot);
    expect(snaps.length).toBeGreaterThan(1);
    expect(snaps.map((s) => s.seq)).toEqual(snaps.map((_, i) => i + 1));
    expect(snaps.at(-1)!.final).toBe(true);
    expect(total(snaps, 'fsync')).toBe(1500);
    expect(total(snaps, 'write')).toBe(1500);
    expect(total(snaps, 'execve')).toBe(1);
    // the command's process carries its cgroup (ours: it inherits it) while it runs
    const ours = readFileSync('/proc/self/cgroup', 'utf8').match(/^0::(.*)$/m)![1];
    const rows = snaps.filter((sn) => !sn.final).flatMap((sn) => sn.processes.filter((pr) => pr.name.endsWith('fsync_write')));
    // (null only when it had exited by the time /proc was read)
    expect(rows.filter((r) => r.cgroup?.path === ours).length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.cgroup != null && r.cgroup.path !== ours)).toEqual([]);
  });

  it('--max-overhead raises the sample period under a tiny budget; every call is still counted', async () => {
    const reads = 400_000;
    const { stdout } = await run(['live', '--json', '-i', '100ms', '--max-overhead', '0.01', '--', workload('small_reads'), String(reads), scratch()]);
    const snaps = stdout.trim().split('\n').map((l) => JSON.parse(l) as JsonSnapshot & { samplePeriod: number });
    const periods = snaps.map((s) => s.samplePeriod);
    // 0.01% of one CPU is far below what a read loop costs our programs: the period doubles
    expect(periods[0]).toBe(1);
    expect(Math.max(...periods)).toBeGreaterThan(1);
    // the reads, the read of 0 at the end and ld.so's
    expect(total(snaps, 'read')).toBe(reads + 2);
  });

  it('prints exactly --iterations plain-text snapshots and stops the command', async () => {
    const dir = scratch();
    const loop = `while :; do ${workload('fsync_write')} 20 ${join(dir, 'data')}; done`;
    const { stdout } = await run(['live', '--iterations', '2', '-i', '300ms', '--command', loop]);
    expect(stdout.match(/^--- snapshot \d+/gm)).toEqual(['--- snapshot 1', '--- snapshot 2']);
    expect(stdout).toMatch(/^SYSCALL\s+CALLS\/s/m);
    expect(stdout).toMatch(/^fsync\s+[\d,]+\s+0\s/m);
    // the shell loop went with the session
    expect(await eventually(() => !running(loop))).toBe(true);
  });

  it('--output holds everything: analyze reads the same counts', async () => {
    const dir = scratch();
    const file = join(dir, 'live.spb');
    const { stderr } = await run(['live', '--json', '--output', file, '--', workload('fsync_write'), '400', join(dir, 'data')]);
    expect(stderr).toMatch(/wrote .*live\.spb \(spb, .*\); 0 records lost/);
    const out = JSON.parse((await run(['analyze', '--input', file, '--json'])).stdout) as { syscalls: { name: string; count: number }[] };
    const counts = Object.fromEntries(out.syscalls.map((s) => [s.name, s.count]));
    expect([counts['fsync'], counts['write']]).toEqual([400, 400]);
  });

  it('--prometheus serves the live counts on /metrics while the screen runs', async () => {
    const dir = scratch();
    const loop = `while :; do ${workload('fsync_write')} 50 ${join(dir, 'data')}; sleep 0.2; done`;
    const child = execa(process.execPath, [cli, 'live', '--json', '-i', '200ms', '--prometheus', '127.0.0.1:0', '--command', loop], {
      reject: false,
      env: { NO_COLOR: '1' },
    });
    watch(() => child.pid);
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    let jsonFsync = 0;
    let lines = '';
    child.stdout!.on('data', (b: Buffer) => (lines += b.toString()));
    expect(await eventually(() => /address=127\.0\.0\.1:\d+/.test(stderr), 10_000)).toBe(true);
    const port = /address=127\.0\.0\.1:(\d+)/.exec(stderr)![1];
    // wait until at least one full workload run has been seen
    expect(await eventually(() => lines.includes('"fsync"'), 10_000)).toBe(true);
    const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const m = /^syscall_prof_syscalls_total\{syscall="fsync",category="sync"\} (\d+)$/m.exec(body);
    expect(m).not.toBeNull();
    const served = Number(m![1]);
    expect(served).toBeGreaterThan(0);
    child.kill('SIGTERM');
    const r = await child;
    expect(r.exitCode).toBe(0);
    // every snapshot the exporter saw was also printed: what /metrics said is at most the printed total
    for (const l of lines.trim().split('\n')) {
      const snap = JSON.parse(l) as JsonSnapshot;
      jsonFsync += snap.syscalls.find((s) => s.name === 'fsync')?.calls ?? 0;
    }
    expect(served).toBeLessThanOrEqual(jsonFsync);
  });

  it('stops cleanly when its stdout closes (live --batch | head), --output complete', async () => {
    const dir = scratch();
    const file = join(dir, 'head.spb');
    const loop = `while :; do ${workload('fsync_write')} 20 ${join(dir, 'data')}; done`;
    const child = execa(process.execPath, [cli, 'live', '--batch', '-i', '200ms', '--output', file, '--command', loop], { reject: false, env: { NO_COLOR: '1' } });
    const w = watch(() => child.pid);
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      // like head: take the first snapshot, then close the pipe
      if (out.includes('--- snapshot 2')) child.stdout!.destroy();
    });
    const r = await child;
    expect(r.exitCode).toBe(0);
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.stderr).toMatch(/wrote .*head\.spb \(spb, /);
    expect(w.ids.size).toBeGreaterThan(0);
    const analyzed = JSON.parse((await run(['analyze', '--input', file, '--json'])).stdout) as { syscalls: { name: string; count: number }[] };
    expect(analyzed.syscalls.find((s) => s.name === 'fsync')!.count).toBeGreaterThan(0);
    expect(await eventually(() => !running(loop))).toBe(true);
  });

  it('ranks the work above the waits, which are marked apart and out of %TIME', async () => {
    const dir = scratch();
    // a sleep loop (2000 naps of 50 µs) beside 200 write+fsync, and the shell waiting for both:
    // more time waiting than working, as on an idle machine
    const cmd = `${workload('sleep_loop')} 2000 & ${workload('fsync_write')} 200 ${join(dir, 'data')}; wait`;
    // one interval longer than the run: one (final) snapshot
    const text = (await run(['live', '--batch', '--top', '100', '-i', '60s', '--', '/bin/sh', '-c', cmd])).stdout;
    expect(text.match(/^--- snapshot \d+/gm)).toEqual(['--- snapshot 1']);
    const lines = text.split('\n');
    const at = (re: RegExp): number => lines.findIndex((l) => re.test(l));
    const title = at(/^-- waiting calls, not in %TIME \(--include-waits counts them\) -+$/);
    expect(title).toBeGreaterThan(at(/^SYSCALL\s/));
    // the working syscalls above the waiting section, with a share of working time
    for (const name of ['fsync', 'write']) {
      expect(at(new RegExp(`^${name}\\s`))).toBeGreaterThan(0);
      expect(at(new RegExp(`^${name}\\s`))).toBeLessThan(title);
      expect(lines[at(new RegExp(`^${name}\\s`))]).toMatch(/\s\d+\.\d$/);
    }
    // glibc's nanosleep is the clock_nanosleep syscall; the shell waits in wait4 (or rt_sigsuspend)
    const sleep = at(/^(clock_)?nanosleep\s/);
    expect(sleep).toBeGreaterThan(title);
    expect(lines[sleep]).toMatch(/\swait$/);
    expect(at(/^wait4\s/)).toBeGreaterThan(title);

    const json = JSON.parse((await run(['live', '--json', '-i', '60s', '--', '/bin/sh', '-c', cmd])).stdout) as {
      includeWaits: boolean;
      waitNs: number;
      tracedNs: number;
      syscalls: { name: string; calls: number; totalNs: number; waiting: boolean; share: number | null }[];
    };
    const row = (re: RegExp) => json.syscalls.find((r) => re.test(r.name))!;
    const [fsync, write, nap] = [row(/^fsync$/), row(/^write$/), row(/^(clock_)?nanosleep$/)];
    expect([fsync.calls, fsync.waiting, write.waiting]).toEqual([200, false, false]);
    expect([nap.calls, nap.waiting, nap.share]).toEqual([2000, true, null]);
    expect(json.includeWaits).toBe(false);
    // the waits took longer than the work (the shell waited through all of it): only the split puts fsync first
    expect(json.waitNs).toBeGreaterThan(fsync.totalNs + write.totalNs);
    expect(json.syscalls[0]!.waiting).toBe(false);
    expect(json.syscalls.indexOf(fsync)).toBeLessThan(json.syscalls.indexOf(nap));
    // working rows first, then waiting ones; the working shares make 100%
    const flags = json.syscalls.map((r) => r.waiting);
    expect(flags).toEqual([...flags].sort((a, b) => Number(a) - Number(b)));
    const working = json.syscalls.filter((r) => !r.waiting);
    expect(working.reduce((n, r) => n + r.share!, 0)).toBeCloseTo(1, 2);
  });

  it('refuses a backend that cannot stream, in one line', async () => {
    const r = await execa(process.execPath, [cli, 'live', '--backend', 'strace', '--batch'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/only the ebpf backend streams snapshots/);
  });
});

describe('live in a terminal (tmux)', () => {
  // a tmux server of our own: other sessions on the machine are never touched
  const socket = `sp-live-test-${process.pid}`;
  const session = 'live';
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const screen = (): string => tmux('capture-pane', '-p', '-t', session);
  const panePid = (): number | null => {
    try {
      return Number(tmux('display-message', '-p', '-t', session, '#{pane_pid}').trim());
    } catch {
      return null;
    }
  };
  // keys one by one, as a person types; a longer string goes in one write, as a paste or fast typing does
  const keys = async (...k: string[]): Promise<void> => {
    for (const key of k) {
      tmux('send-keys', '-t', session, ...(/^[A-Z][a-z]+$|^C-/.test(key) ? [key] : ['-l', key]));
      await new Promise((r) => setTimeout(r, 150));
    }
  };

  afterEach(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  });

  it('sorts, filters, opens a histogram, fits 80x24, quits, restores the terminal and detaches', async () => {
    const dir = scratch();
    const loop = `while :; do ${workload('fsync_write')} 50 ${join(dir, 'data')}; done`;
    const command = `NO_COLOR=1 ${process.execPath} ${cli} live --command '${loop}'; echo "LIVE-EXIT=$?"; sleep 60`;
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', command);
    const w = watch(panePid);
    expect(await eventually(() => /fsync\s+[\d,]+/.test(screen()), 15_000)).toBe(true);
    expect(screen()).toMatch(/syscalls\/s .* lost 0 .* profiler .* of a CPU/);

    await keys('c');
    expect(await eventually(() => screen().includes('▼CALLS/s'))).toBe(true);
    // typed in one go: every key counts
    await keys('/fsync', 'Enter');
    expect(await eventually(() => screen().includes('filter "fsync": 1 rows'))).toBe(true);
    expect(screen()).not.toMatch(/^write\s/m);

    await keys('Enter');
    expect(await eventually(() => screen().includes('Latency of fsync'), 5000)).toBe(true);
    expect(await eventually(() => /µs\s+█/.test(screen()), 5000)).toBe(true);
    expect(screen()).toContain('Findings (this interval)');

    // a small terminal: everything still fits, the header stays on top
    tmux('resize-window', '-t', session, '-x', '80', '-y', '24');
    expect(await eventually(() => screen().split('\n')[0]!.startsWith('Command:') && screen().includes('Latency of fsync'), 5000)).toBe(true);
    for (const line of screen().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    await keys('Escape');
    expect(await eventually(() => !screen().includes('Latency of fsync'))).toBe(true);
    expect(await eventually(() => /^fsync\s/m.test(screen()) && screen().includes('RECENT'))).toBe(true);

    await keys('?');
    expect(await eventually(() => screen().includes('q Ctrl-C'))).toBe(true);
    await keys('Escape', 'q');
    expect(await eventually(() => screen().includes('LIVE-EXIT='), 10_000)).toBe(true);
    const after = screen();
    expect(after).toContain('LIVE-EXIT=0');
    // the alternate screen is gone: none of the table is left on the terminal
    expect(after).not.toContain('SYSCALL');
    expect(after).not.toContain('CALLS/s');
    expect(await eventually(() => !running(loop))).toBe(true);
    // the loader held programs while it ran, and none of them is left (checked again after the test)
    expect(w.ids.size).toBeGreaterThan(0);
    expect(await stillLoaded(w.ids)).toEqual([]);
  });

  it('keeps everything captured in --output when the terminal goes away', async () => {
    const dir = scratch();
    const file = join(dir, 'hup.spb');
    const loop = `while :; do ${workload('fsync_write')} 50 ${join(dir, 'data')}; done`;
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `NO_COLOR=1 ${process.execPath} ${cli} live --output ${file} --command '${loop}' 2>${file}.err`);
    const w = watch(panePid);
    expect(await eventually(() => /fsync\s+[\d,]+/.test(screen()), 15_000)).toBe(true);
    // the terminal vanishes (an ssh connection dropped): SIGHUP, then EIO on every write
    tmux('kill-server');
    expect(await eventually(() => existsSync(file), 10_000)).toBe(true);
    const analyzed = JSON.parse((await run(['analyze', '--input', file, '--json'])).stdout) as { syscalls: { name: string; count: number }[] };
    expect(analyzed.syscalls.find((s) => s.name === 'fsync')!.count).toBeGreaterThan(0);
    expect(await eventually(() => !running(loop), 5000)).toBe(true);
    expect(w.ids.size).toBeGreaterThan(0);
  });
});
