// The agent scraped by the real Prometheus: counts and quantiles Prometheus
// computes from our /metrics match our own numbers for the same run.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canTrace, cli, eventually, scratch, workload } from '../helpers/kernel.js';
import { LoaderWatch, stillLoaded } from '../helpers/loader-programs.js';
import { freePort } from '../helpers/net.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

const PROMETHEUS = '/usr/bin/prometheus';
// a first run creates the series (so rate() has a before), then the measured run
const FIRST = 50;
const FSYNCS = 450;

async function get(url: string): Promise<string | null> {
  try {
    const r = await fetch(url);
    return r.ok ? await r.text() : null;
  } catch {
    return null;
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | null>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// One PromQL instant query -> the single value, or null when there is no result yet.
async function query(base: string, promql: string, atSec?: number): Promise<number | null> {
  const body = await get(`${base}/api/v1/query?query=${encodeURIComponent(promql)}${atSec === undefined ? '' : `&time=${atSec}`}`);
  if (body === null) return null;
  const res = JSON.parse(body) as { data: { result: { value: [number, string] }[] } };
  return res.data.result.length === 1 ? Number(res.data.result[0]!.value[1]) : null;
}

// Cumulative fsync buckets summed over label sets, from our own /metrics text: [le, count][].
function ourBuckets(text: string): [number, number][] {
  const byLe = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('syscall_prof_syscall_duration_seconds_bucket{') || !line.includes('syscall="fsync"')) continue;
    const le = /le="([^"]+)"/.exec(line)![1]!;
    const bound = le === '+Inf' ? Infinity : Number(le);
    byLe.set(bound, (byLe.get(bound) ?? 0) + Number(line.split(' ').at(-1)));
  }
  return [...byLe].sort((a, b) => a[0] - b[0]);
}

// Prometheus' histogram_quantile (linear interpolation inside the bucket; first bucket from 0).
function histogramQuantile(q: number, buckets: [number, number][]): number {
  const total = buckets.at(-1)![1];
  const rank = q * total;
  let i = buckets.findIndex(([, c]) => c >= rank);
  if (buckets[i]![0] === Infinity) return buckets[buckets.length - 2]![0];
  const [upper, count] = buckets[i]!;
  const [lower, before] = i === 0 ? [0, 0] : buckets[i - 1]!;
  if (i === 0 && upper <= 0) return upper;
  return lower + (upper - lower) * ((rank - before) / (count - before));
}

let agent: ChildProcess | null = null;
let prometheus: ChildProcess | null = null;
let agentErr = '';
let agentExit: Promise<number | null> | null = null;
let agentPrograms: LoaderWatch | null = null;
const cg = `/sys/fs/cgroup/unified/syscall-prof-prom-${process.pid}`;
let agentBase = '';
let promBase = '';
// when Prometheus had seen the first run (unix seconds), and our own report of the second run
let afterFirst = 0;
interface TraceReport {
  readonly syscalls: readonly { readonly name: string; readonly count: number; readonly p50Ns: number; readonly p99Ns: number }[];
}
let ownReport: TraceReport | null = null;

beforeAll(async () => {
  mkdirSync(cg);
  const dir = scratch();
  const agentPort = await freePort();
  agent = spawn(
    process.execPath,
    [cli, 'agent', '--cgroup', cg, '--prometheus', `127.0.0.1:${agentPort}`, '--interval', '200', '--labels', 'syscall,category,comm,cgroup'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  agent.stderr!.on('data', (c: Buffer) => (agentErr += c.toString()));
  // the agent's loader's programs (other people's loaders may run on the machine too)
  agentPrograms = new LoaderWatch(() => agent?.pid ?? null);
  agentExit = new Promise((resolve) => agent!.once('exit', (code) => resolve(code)));
  agentBase = `http://127.0.0.1:${agentPort}`;
  await waitFor('the agent to trace', async () => (agentErr.includes('msg=tracing') ? true : null));

  const promPort = await freePort();
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    `global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n  - job_name: syscall-prof\n    static_configs:\n      - targets: ['127.0.0.1:${agentPort}']\n`,
  );
  prometheus = spawn(
    PROMETHEUS,
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=error'],
    { stdio: 'ignore' },
  );
  promBase = `http://127.0.0.1:${promPort}`;
  await waitFor('Prometheus to be ready', () => get(`${promBase}/-/ready`), 30_000);
  // Prometheus has scraped us at least once
  await waitFor('a first scrape', () => query(promBase, 'syscall_prof_snapshots_total'));

  // the workload joins the cgroup, then execs: its fsyncs are exactly what it is told
  const inCgroup = (n: number): string => `echo $$ > ${cg}/cgroup.procs && exec ${workload('fsync_write')} ${n} ${join(dir, 'f')}`;
  await execa('/bin/sh', ['-c', inCgroup(FIRST)]);
  await waitFor('Prometheus to see the first run', async () => ((await query(promBase, 'sum(syscall_prof_syscalls_total{syscall="fsync"})')) === FIRST ? true : null));
  afterFirst = Date.now() / 1000;
  // the measured run, under our own `trace` too: its report is the reference for that window
  const traced = await execa(process.execPath, [cli, 'trace', '--json', '--backend', 'ebpf', '--command', inCgroup(FSYNCS - FIRST)], { env: { NO_COLOR: '1' } });
  ownReport = JSON.parse(traced.stdout) as TraceReport;
}, 90_000);

afterAll(async () => {
  agentPrograms?.stop();
  prometheus?.kill('SIGKILL');
  if (agent !== null && agent.exitCode === null) agent.kill('SIGKILL');
  try {
    rmdirSync(cg);
  } catch {
    // still busy: left for the next boot
  }
});

describe('agent + real Prometheus', () => {
  it('Prometheus scrapes the exact fsync count, per cgroup and comm too', async () => {
    const total = await waitFor('Prometheus to see every fsync', async () => {
      const v = await query(promBase, 'sum(syscall_prof_syscalls_total{syscall="fsync"})');
      return v === FSYNCS ? v : null;
    });
    expect(total).toBe(FSYNCS);
    expect(await query(promBase, `sum(syscall_prof_syscalls_total{syscall="fsync",comm="fsync_write",cgroup="/syscall-prof-prom-${process.pid}"})`)).toBe(FSYNCS);
    expect(await query(promBase, 'sum(syscall_prof_syscall_duration_seconds_count{syscall="fsync"})')).toBe(FSYNCS);
  });

  it('computes the same p50 and p99 as our own buckets for the same run', async () => {
    const ours = ourBuckets((await get(`${agentBase}/metrics`))!);
    expect(ours.at(-1)).toEqual([Infinity, FSYNCS]);
    for (const q of [0.5, 0.99]) {
      const theirs = await query(promBase, `histogram_quantile(${q}, sum by (le) (syscall_prof_syscall_duration_seconds_bucket{syscall="fsync"}))`);
      const mine = histogramQuantile(q, ours);
      expect(theirs).not.toBeNull();
      expect(Math.abs(theirs! - mine) / mine).toBeLessThan(1e-9);
      // and within the exported bucket that holds the q-th call (bucket resolution: a factor of 2)
      const i = ours.findIndex(([, c]) => c >= q * FSYNCS);
      const lower = i === 0 ? 0 : ours[i - 1]![0];
      expect(theirs!).toBeGreaterThanOrEqual(lower);
      expect(theirs!).toBeLessThanOrEqual(ours[i]![0]);
    }
    // the README's p99-per-syscall query works on a rate window too
    const p99 = await waitFor('two samples for rate()', () =>
      query(promBase, 'histogram_quantile(0.99, sum by (le, syscall) (rate(syscall_prof_syscall_duration_seconds_bucket{syscall="fsync"}[1m])))'),
    );
    // the second run's p99: within a factor of 2 of the whole run's bucket (rate() extrapolates per bucket)
    const i = ours.findIndex(([, c]) => c >= 0.99 * FSYNCS);
    expect(p99).toBeGreaterThan((i === 0 ? ours[0]![0] : ours[i - 1]![0]) / 2);
    expect(p99).toBeLessThanOrEqual(ours[i]![0] * 2);
  });

  it('gives the same fsync count as our own report for the same window, and quantiles within one bucket of it', async () => {
    await waitFor('Prometheus to see every fsync', async () => ((await query(promBase, 'sum(syscall_prof_syscalls_total{syscall="fsync"})')) === FSYNCS ? true : null));
    const now = Date.now() / 1000;
    // the window: what the counters gained since the first run (the same series at two instants)
    const offset = `offset ${Math.round((now - afterFirst) * 1000)}ms`;
    const bucket = 'syscall_prof_syscall_duration_seconds_bucket{syscall="fsync"}';
    const ours = ownReport!.syscalls.find((s) => s.name === 'fsync')!;
    expect(ours.count).toBe(FSYNCS - FIRST);
    expect(await query(promBase, `sum(syscall_prof_syscalls_total{syscall="fsync"}) - sum(syscall_prof_syscalls_total{syscall="fsync"} ${offset})`, now)).toBe(ours.count);
    for (const [q, mine] of [
      [0.5, ours.p50Ns / 1e9],
      [0.99, ours.p99Ns / 1e9],
    ] as const) {
      const theirs = await query(promBase, `histogram_quantile(${q}, sum by (le) (${bucket} - ${bucket} ${offset}))`, now);
      expect(theirs).not.toBeNull();
      // our report interpolates in buckets of 1/8 of a power of two, Prometheus in whole powers of two:
      // the two agree to within the exported bucket (a factor of 2)
      expect(theirs! / mine).toBeGreaterThanOrEqual(0.5);
      expect(theirs! / mine).toBeLessThanOrEqual(2);
    }
  });

  it('exits 0 on SIGTERM with one-line log records and no BPF program left', async () => {
    agent!.kill('SIGTERM');
    expect(await agentExit).toBe(0);
    const lines = agentErr.trim().split('\n');
    for (const line of lines) expect(line).toMatch(/^ts=\S+ level=(debug|info|warn|error) msg=/);
    expect(lines.at(-1)).toMatch(/msg=stopped reason=signal/);
    agentPrograms!.stop();
    expect(agentPrograms!.ids.size).toBeGreaterThan(0);
    expect(await stillLoaded(agentPrograms!.ids)).toEqual([]);
  });
});
