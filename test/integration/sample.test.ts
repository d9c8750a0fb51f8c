// --sample N on the real kernel: every call still counted exactly, about 1 in N timed.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { traceWithEbpf } from '../../src/core/backends/ebpf/backend.js';
import type { EbpfTraceRequest } from '../../src/core/backends/ebpf/request.js';
import type { Profile, SyscallStats } from '../../src/core/model/profile.js';
// no check that no sp_ program is left loaded afterwards: other people's loaders
// run on this machine too (the programs' own tests check detaching)
import { canTrace, cli, scratch, workload } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

const PERIOD = 16;
// calls of the workloads: enough for a few thousand timed reads
const READS = 40_000;
const STATS = 5_000;

function command(argv: string[], extra: Partial<EbpfTraceRequest> = {}): EbpfTraceRequest {
  return { target: { kind: 'command', argv }, follow: true, durationSec: null, intervalMs: 200, commandStdout: 'stderr', ...extra };
}

function stats(p: Profile, name: string): SyscallStats {
  const s = p.syscalls.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no ${name} in the profile`);
  return s;
}

// The workloads' own syscalls, the same in every run (libc start-up varies a
// little from run to run: getrandom once or twice, so not every syscall is here)
const STEADY = ['read', 'write', 'lseek', 'openat', 'close', 'unlink', 'mkdir', 'rmdir', 'access', 'newfstatat', 'execve', 'exit_group'];

// name -> [count, errors] of the steady syscalls
function countsOf(p: Profile): Map<string, readonly [number, number]> {
  return new Map(p.syscalls.filter((s) => s.count > 0 && STEADY.includes(s.name)).map((s) => [s.name, [s.count, s.errors] as const]));
}

// Whether timed is within k binomial standard deviations of n/period (k = 5:
// a false failure about once in 1.7 million runs).
function binomialOk(timed: number, n: number, period: number, k = 5): boolean {
  const p = 1 / period;
  return Math.abs(timed - n * p) <= k * Math.sqrt(n * p * (1 - p));
}

describe('--sample 16 on the real kernel', () => {
  it('counts the reads of small_reads exactly, as the unsampled run does, and times about 1 in 16', async () => {
    const run = (extra: Partial<EbpfTraceRequest>): Promise<Profile> => traceWithEbpf(command([workload('small_reads'), String(READS), scratch()], extra));
    const full = await run({});
    const sampled = await run({ samplePeriod: PERIOD });
    expect(sampled.samplePeriod).toBe(PERIOD);
    expect(full.samplePeriod).toBeUndefined();
    // READS reads of 64 bytes, the read of 0 at the end, and ld.so's read of libc's header
    const reads = stats(sampled, 'read');
    expect(reads.count).toBe(READS + 2);
    expect(stats(sampled, 'write').count).toBe(1);
    // each of the workload's syscalls and its errors the same in both runs
    expect(countsOf(sampled)).toEqual(countsOf(full));
    expect(stats(full, 'read').timedCalls).toBeUndefined();
    expect(stats(full, 'read').histogram.total).toBe(stats(full, 'read').count);
    // timed: the histogram's calls, binomial(count, 1/16)
    expect(reads.timedCalls).toBe(reads.histogram.total);
    expect(binomialOk(reads.timedCalls!, reads.count, PERIOD)).toBe(true);
    // per process too: same counts, timed a sample
    const proc = sampled.processes.find((p) => p.tgid === sampled.exit!.pid)!;
    const procReads = proc.syscalls.find((s) => s.name === 'read')!;
    expect(procReads.count).toBe(reads.count);
    expect(binomialOk(procReads.timedCalls!, procReads.count, PERIOD)).toBe(true);
    // the median of the timed reads is the median of all: within the two
    // histograms' bucket error (12.5% each) and run-to-run noise
    const p50Full = stats(full, 'read').histogram.percentile(0.5)!;
    const p50Sampled = reads.histogram.percentile(0.5)!;
    expect(Math.abs(p50Sampled - p50Full) / p50Full).toBeLessThan(0.35);
    expect(sampled.health.missedStarts).toBe(0);
  });

  it('counts the failed access calls of stat_storm exactly (errors and errnos)', async () => {
    const run = (extra: Partial<EbpfTraceRequest>): Promise<Profile> => traceWithEbpf(command([workload('stat_storm'), String(STATS), scratch()], extra));
    const full = await run({});
    const sampled = await run({ samplePeriod: PERIOD });
    const access = stats(sampled, 'access');
    // the workload's STATS failing access calls, and ld.so's of /etc/ld.so.preload
    expect([access.count, access.errors]).toEqual([STATS + 1, STATS + 1]);
    expect(access.errnos).toEqual([{ errno: 2, count: STATS + 1 }]);
    expect(access.errnos).toEqual(stats(full, 'access').errnos);
    // 2 per round, and ld.so's 2
    expect(stats(sampled, 'newfstatat').count).toBe(2 * STATS + 2);
    expect(countsOf(sampled)).toEqual(countsOf(full));
    expect(binomialOk(access.timedCalls!, access.count, PERIOD)).toBe(true);
  });

  it('says so in --json: the period, and timedCalls per syscall', async () => {
    const r = await execa(process.execPath, [cli, 'trace', '--json', '--sample', String(PERIOD), '--', workload('small_reads'), String(READS), scratch()], { reject: false });
    expect(r.exitCode).toBe(0);
    const json = JSON.parse(r.stdout) as { sampled: { period: number }; syscalls: { name: string; count: number; timedCalls?: number; percentileError?: number }[] };
    expect(json.sampled).toEqual({ period: PERIOD });
    const read = json.syscalls.find((s) => s.name === 'read')!;
    expect(read.count).toBe(READS + 2);
    expect(binomialOk(read.timedCalls!, read.count, PERIOD)).toBe(true);
    // the bound includes the sampling error: above the bucket error alone
    expect(read.percentileError).toBeGreaterThan(0.125);
  });

  it('refuses --sample with --output in one line (exit 2)', async () => {
    const r = await execa(process.execPath, [cli, 'trace', '--sample', '16', '--output', `${scratch()}/x.csv`, '--', 'true'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--sample .*--output/);
  });
});

describe('--max-overhead on the real kernel', () => {
  it('raises the sample period at run time under a tiny budget, and every call is still counted', async () => {
    const reads = 400_000;
    const periods: number[] = [];
    const p = await traceWithEbpf(command([workload('small_reads'), String(reads), scratch()], { maxOverheadPct: 0.01, intervalMs: 100 }), (s) => periods.push(s.samplePeriod ?? 1));
    // 0.01% of one CPU is far below what a read loop costs our programs: the period doubles
    expect(periods[0]).toBe(1);
    expect(Math.max(...periods)).toBeGreaterThan(1);
    for (let i = 1; i < periods.length; i++) expect([periods[i - 1]! * 2, periods[i - 1]!]).toContain(periods[i]);
    expect(p.samplePeriod).toBeGreaterThan(1);
    // exact whatever the period was: the reads, the read of 0 at the end and ld.so's
    const read = stats(p, 'read');
    expect(read.count).toBe(reads + 2);
    expect(read.timedCalls).toBeLessThan(read.count);
    expect(p.health.missedStarts).toBe(0);
  });
});
