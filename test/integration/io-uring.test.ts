// io_uring requests end to end: the real CLI and loader on the real kernel,
// liburing workloads (test/workloads/uring_io.c) with known numbers of
// requests, and fio as a ground truth nobody here wrote.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/cli.js';
import { canTrace, cli, programsLeftAfter, scratch, workload } from '../helpers/kernel.js';
import { freePort } from '../helpers/net.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

interface UringRow {
  op: string;
  count: number;
  errors: number;
  errnos: { errno: number; count: number }[];
  p50Ns: number;
  p99Ns: number;
  punted: number;
  bytes: number;
}
interface UringJson {
  traced: boolean;
  offReason: string | null;
  ops: UringRow[];
  processes: { tgid: number; comm: string; waits: number; overflows: number; ops: UringRow[]; puntFds: { fd: number; punted: number; totalNs: number }[] }[];
  inFlight: unknown[];
  drops: number;
}
interface TraceJson {
  exit: { pid: number; kind: string; code: number } | null;
  syscalls: { name: string; count: number }[];
  ioUring: UringJson | null;
}

const EBADF = 9;
const BS = 4096;

// `trace --json` of argv; the parsed report and the stderr lines
async function trace(argv: readonly string[], extra: readonly string[] = []): Promise<{ json: TraceJson; stderr: string }> {
  const r = await runBuiltCli(['trace', '--json', ...extra, '--', ...argv]);
  expect(r.exitCode, r.stderr).toBe(0);
  return { json: JSON.parse(r.stdout) as TraceJson, stderr: r.stderr };
}

function op(u: UringJson, name: string): UringRow | undefined {
  return u.ops.find((o) => o.op === name);
}

// the requests of uring_io with these flags, checked for exact counts
async function uringIo(flags: readonly string[]): Promise<{ u: UringJson; pid: number }> {
  const dir = scratch();
  try {
    const { json } = await trace([workload('uring_io'), ...flags, dir]);
    expect(json.exit).toMatchObject({ kind: 'exited', code: 0 });
    expect(json.ioUring?.traced).toBe(true);
    return { u: json.ioUring!, pid: json.exit!.pid };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

afterEach(async () => {
  expect(await programsLeftAfter()).toEqual([]);
});

describe('io_uring requests of a liburing workload', () => {
  it('counts every read, write, fsync and failure at depth 1, attributed to the process', async () => {
    const { u, pid } = await uringIo(['-r', '300', '-w', '60', '-f', '6', '-e', '5', '-d', '1']);
    // the failing reads are reads too: 300 + 5
    expect(op(u, 'read')).toMatchObject({ count: 305, errors: 5, errnos: [{ errno: EBADF, count: 5 }], bytes: 300 * BS });
    expect(op(u, 'write')).toMatchObject({ count: 60, errors: 0, bytes: 60 * BS });
    // fsync cannot complete without blocking: always handed to an io-wq worker
    expect(op(u, 'fsync')).toMatchObject({ count: 6, errors: 0, bytes: 0, punted: 6 });
    expect(u.processes.map((p) => [p.tgid, p.comm])).toEqual([[pid, 'uring_io']]);
    // submit one, wait one: a wait per request that did not complete inline at most
    expect(u.processes[0]!.waits).toBeGreaterThan(0);
    expect(u.processes[0]!.waits).toBeLessThanOrEqual(371);
    expect(u.inFlight).toEqual([]);
    expect(u.drops).toBe(0);
    // an fsync after 10 writes reaches the disk; a read of a cached block does not
    expect(op(u, 'fsync')!.p50Ns).toBeGreaterThan(op(u, 'read')!.p50Ns);
  });

  it('counts the same at depth 8 with O_DIRECT', async () => {
    const { u } = await uringIo(['-r', '200', '-w', '40', '-f', '4', '-d', '8', '-D']);
    expect(op(u, 'read')).toMatchObject({ count: 200, errors: 0, bytes: 200 * BS });
    expect(op(u, 'write')).toMatchObject({ count: 40, errors: 0, bytes: 40 * BS });
    expect(op(u, 'fsync')).toMatchObject({ count: 4, punted: 4 });
    expect(u.ops.map((o) => o.op).sort()).toEqual(['fsync', 'read', 'write']);
  });

  it('sees every write punted to io-wq when the workload forces it (IOSQE_ASYNC)', async () => {
    const { u } = await uringIo(['-w', '50', '-A']);
    expect(op(u, 'write')).toMatchObject({ count: 50, punted: 50, bytes: 50 * BS });
    // all on the one file the workload writes (its first fd after stdio)
    expect(u.processes[0]!.puntFds.map((f) => [f.fd, f.punted])).toEqual([[3, 50]]);
  });

  it('attributes an SQPOLL ring to the owning process, not to its iou-sqp thread', async () => {
    const { u, pid } = await uringIo(['-r', '100', '-w', '20', '-d', '4', '-S']);
    expect(op(u, 'read')).toMatchObject({ count: 100, bytes: 100 * BS });
    expect(op(u, 'write')).toMatchObject({ count: 20, bytes: 20 * BS });
    expect(u.processes.map((p) => [p.tgid, p.comm])).toEqual([[pid, 'uring_io']]);
  });

  it('reports a request still in flight when tracing stops, with its age', async () => {
    const dir = scratch();
    try {
      // a read of an empty pipe, left in flight for 3 s; tracing stops after 0.6 s
      const { json } = await trace([workload('uring_io'), '-r', '10', '-P', '3000', dir], ['--duration', '0.6']);
      const u = json.ioUring!;
      expect(op(u, 'read')).toMatchObject({ count: 10 });
      expect(u.inFlight).toHaveLength(1);
      const f = u.inFlight[0] as { op: string; ageNs: number; punted: boolean };
      expect(f.op).toBe('read');
      expect(f.punted).toBe(false);
      // submitted after the 10 reads, shortly after the start: its age is most of the 0.6 s
      expect(f.ageNs).toBeGreaterThan(0.3e9);
      expect(f.ageNs).toBeLessThan(0.6e9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints the io_uring table under the syscall table', async () => {
    const dir = scratch();
    try {
      const r = await runBuiltCli(['trace', '--', workload('uring_io'), '-r', '10', '-w', '3', '-f', '1', dir]);
      expect(r.exitCode, r.stderr).toBe(0);
      const at = r.stdout.indexOf('io_uring Requests');
      expect(at).toBeGreaterThan(r.stdout.indexOf('Syscall Summary'));
      const table = r.stdout.slice(at);
      expect(table).toMatch(/^read\s+10\s+0\s/m);
      expect(table).toMatch(/^write\s+3\s+0\s/m);
      expect(table).toMatch(/^fsync\s+1\s+0\s.*1 \(100%\)$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves the syscall-only report alone when the target does not use io_uring', async () => {
    const dir = scratch();
    try {
      const r = await runBuiltCli(['trace', '--', workload('fsync_write'), '20', join(dir, 'f')]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).not.toContain('io_uring');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('io_uring in captures', () => {
  it('keeps the requests in an spb capture: analyze shows them and counts them in their categories; report has a section', async () => {
    const dir = scratch();
    try {
      const spb = join(dir, 'c.spb');
      const t = await runBuiltCli(['trace', '--output', spb, '--', workload('uring_io'), '-r', '120', '-w', '30', '-f', '3', '-e', '2', '-d', '4', dir]);
      expect(t.exitCode, t.stderr).toBe(0);
      const a = await runBuiltCli(['analyze', '--input', spb, '--json']);
      expect(a.exitCode, a.stderr).toBe(0);
      const j = JSON.parse(a.stdout) as { ioUring: UringJson; categories: { category: string; calls: number; syscalls: string[]; waiting: boolean }[] };
      expect(op(j.ioUring, 'read')).toMatchObject({ count: 122, errors: 2, bytes: 120 * BS });
      expect(op(j.ioUring, 'write')).toMatchObject({ count: 30, bytes: 30 * BS });
      expect(op(j.ioUring, 'fsync')).toMatchObject({ count: 3, punted: 3 });
      const cat = (c: string) => j.categories.find((x) => x.category === c)!;
      expect(cat('disk-read').syscalls).toContain('io_uring read');
      expect(cat('disk-write').syscalls).toContain('io_uring write');
      expect(cat('sync').syscalls).toContain('io_uring fsync');
      // the thread waits for its requests in io_uring_enter: waiting, not working
      expect(cat('wait')).toMatchObject({ waiting: true });
      expect(cat('wait').syscalls).toContain('io_uring_enter');
      const text = await runBuiltCli(['analyze', '--input', spb]);
      expect(text.stdout).toMatch(/io_uring Requests[\s\S]*^fsync\s+3\s+0\s/m);
      const md = await runBuiltCli(['report', '--input', spb]);
      expect(md.stdout).toMatch(/^## io_uring\n\n\| io_uring op \|/m);
      expect(md.stdout).toContain('| fsync | 3 | 0 |');
      // report --json: the same rows as trace --json (numbers, no histogram internals)
      const rj = await runBuiltCli(['report', '--input', spb, '--json']);
      const fsync = op((JSON.parse(rj.stdout) as { ioUring: UringJson }).ioUring, 'fsync')!;
      expect(fsync).toMatchObject({ count: 3, punted: 3 });
      expect(Object.keys(fsync)).not.toContain('histogram');
      expect(Number.isInteger(fsync.p50Ns)).toBe(true);
      // one opcode's latency distribution
      const h = await runBuiltCli(['histogram', '--input', spb, '--io-uring-op', 'read', '--json']);
      expect(h.exitCode, h.stderr).toBe(0);
      const hj = JSON.parse(h.stdout) as { syscall: string; count: number; histogram: { count: number }[] };
      expect(hj.syscall).toBe('io_uring read');
      expect(hj.count).toBe(122);
      expect(hj.histogram.reduce((n, b) => n + b.count, 0)).toBeCloseTo(122, 6);
      const none = await runBuiltCli(['histogram', '--input', spb, '--io-uring-op', 'send']);
      expect(none.exitCode).toBe(1);
      expect(none.stderr).toMatch(/no io_uring send requests in .* \(it has: .*read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('io_uring in the exporter', () => {
  async function until<T>(probe: () => Promise<T | null>, ms = 20_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await probe().catch(() => null);
      if (v !== null) return v;
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('exports syscall_prof_io_uring_duration_seconds{op} and counters for a traced cgroup', async () => {
    const cg = `/sys/fs/cgroup/unified/syscall-prof-uring-${process.pid}`;
    const dir = scratch();
    mkdirSync(cg);
    const port = await freePort();
    const agent = spawn(process.execPath, [cli, 'agent', '--cgroup', cg, '--prometheus', `127.0.0.1:${port}`, '--interval', '200'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    agent.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise((resolve) => agent.once('exit', resolve));
    try {
      await until(async () => (err.includes('msg=tracing') ? true : null));
      execFileSync('sh', ['-c', `echo $$ > ${cg}/cgroup.procs && exec ${workload('uring_io')} -r 80 -w 12 -f 3 -d 4 ${dir}`]);
      const metrics = await until(async () => {
        const r = await fetch(`http://127.0.0.1:${port}/metrics`);
        const t = await r.text();
        return t.includes('syscall_prof_io_uring_requests_total{op="fsync"} 3') ? t : null;
      });
      expect(metrics).toContain('# TYPE syscall_prof_io_uring_duration_seconds histogram');
      expect(metrics).toContain('syscall_prof_io_uring_duration_seconds_count{op="read"} 80');
      expect(metrics).toContain('syscall_prof_io_uring_requests_total{op="write"} 12');
      expect(metrics).toContain('syscall_prof_io_uring_punted_total{op="fsync"} 3');
    } finally {
      agent.kill('SIGTERM');
      await exited;
      rmdirSync(cg);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('io_uring disabled', () => {
  const SYSCTL = '/proc/sys/kernel/io_uring_disabled';

  it('says in one line that io_uring is not traced and why; syscalls are traced as before', async () => {
    const before = readFileSync(SYSCTL, 'utf8').trim();
    const dir = scratch();
    writeFileSync(SYSCTL, '2');
    try {
      const { json, stderr } = await trace([workload('fsync_write'), '50', join(dir, 'f')]);
      const lines = stderr.split('\n').filter((l) => l.includes('io_uring'));
      expect(lines).toEqual([expect.stringMatching(/io_uring is not traced: io_uring is disabled .*io_uring_disabled = 2/)]);
      expect(json.ioUring).toMatchObject({ traced: false, ops: [] });
      expect(json.ioUring?.offReason).toContain('io_uring_disabled');
      expect(json.syscalls.find((s) => s.name === 'fsync')?.count).toBe(50);
      expect(json.syscalls.find((s) => s.name === 'write')?.count).toBe(50);
    } finally {
      writeFileSync(SYSCTL, before);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fio, the ground truth', () => {
  // fio stamps a request's issue time after io_uring_enter returns, so its
  // completion latency (clat) leaves out the submission; its total latency
  // (lat) includes preparing it and reaping it. submit -> complete lies
  // between the two. tolerance: 12.5% (the histogram's) below clat, 20%
  // around lat (the histogram's 12.5% and run-to-run noise).
  it('times O_DIRECT random reads between fio’s own clat and lat p50, within 20% of lat', async () => {
    const dir = scratch();
    try {
      const out = join(dir, 'fio.json');
      const { json } = await trace([
        'fio', '--name=r', '--ioengine=io_uring', '--rw=randread', '--bs=4k', '--size=16M', `--filename=${join(dir, 'f')}`,
        '--iodepth=1', '--direct=1', '--runtime=2', '--time_based', '--lat_percentiles=1', '--clat_percentiles=1',
        '--output-format=json', `--output=${out}`,
      ]);
      const fio = JSON.parse(readFileSync(out, 'utf8')) as {
        jobs: { read: { total_ios: number; clat_ns: { percentile: Record<string, number> }; lat_ns: { percentile: Record<string, number> } } }[];
      };
      const read = fio.jobs[0]!.read;
      const ours = op(json.ioUring!, 'read')!;
      // every read fio did (fio's own count), and no more: its file is laid out with writes
      expect(ours.count).toBe(read.total_ios);
      const clat = read.clat_ns.percentile['50.000000']!;
      const lat = read.lat_ns.percentile['50.000000']!;
      expect(ours.p50Ns).toBeGreaterThanOrEqual(clat * (1 - 0.125));
      expect(Math.abs(ours.p50Ns - lat) / lat).toBeLessThan(0.2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// fio is a Debian package of the Makefile's deps; without it the test above fails loudly
execFileSync('fio', ['--version']);
