// Per-call capture end to end: the real CLI, loader and kernel, then the offline commands.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { canTrace, cli, programsLeftAfter, scratch, workload } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

afterEach(async () => {
  expect(await programsLeftAfter()).toEqual([]);
});

async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await execa(process.execPath, [cli, ...args], { reject: false });
  if (r.exitCode !== 0) throw new Error(`syscall-prof ${args.join(' ')} exited ${r.exitCode}: ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

// syscall -> count from `analyze --json`, or from `trace --json` (aggregate mode)
async function counts(args: string[]): Promise<Record<string, number>> {
  const out = JSON.parse((await run(args)).stdout) as { syscalls: { name: string; count: number }[] };
  return Object.fromEntries(out.syscalls.map((s) => [s.name, s.count]));
}

// CSV rows (no comments) as arrays of fields; our test paths need no quoting
function csvRows(file: string): string[][] {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  return lines.slice(1).map((l) => l.split(','));
}

describe('trace --output then analyze', () => {
  it.each(['csv', 'jsonl', 'spb', 'parquet'])('gives the same counts as the aggregate mode (%s)', async (format) => {
    const dir = scratch();
    const cmd = [workload('fsync_write'), '300', join(dir, 'data')];
    const aggregate = await counts(['trace', '--json', '--', ...cmd]);
    const file = join(dir, `capture.${format}`);
    const { stderr } = await run(['trace', '--output', file, '--', ...cmd]);
    expect(stderr).toMatch(/0 records lost/);
    const events = await counts(['analyze', '--input', file, '--json']);
    expect(events).toEqual(aggregate);
    expect(events.fsync).toBe(300);
  });

  it('names the file each fd-taking call works on', async () => {
    const dir = scratch();
    const data = join(dir, 'known.dat');
    const file = join(dir, 'c.csv');
    await run(['trace', '--output', file, '--', workload('fsync_write'), '50', data]);
    const header = readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith('timestamp_ns'))!.split(',');
    const col = (name: string): number => header.indexOf(name);
    const rows = csvRows(file);
    const fsyncs = rows.filter((r) => r[col('syscall')] === 'fsync');
    const writes = rows.filter((r) => r[col('syscall')] === 'write');
    expect(fsyncs).toHaveLength(50);
    expect(new Set(fsyncs.map((r) => r[col('path')]))).toEqual(new Set([data]));
    expect(new Set(writes.map((r) => r[col('path')]))).toEqual(new Set([data]));
    // the file position before each 4 KiB write: 0, 4096, 8192, ...
    expect(writes.map((r) => Number(r[col('pos')]))).toEqual(writes.map((_, i) => i * 4096));
    // the open itself carries the path and returns the fd the writes use
    const open = rows.find((r) => r[col('syscall')] === 'openat' && r[col('path')] === data)!;
    expect(open).toBeDefined();
    expect(writes.every((r) => Number(BigInt(r[col('arg0')]!)) === Number(open[col('ret')]))).toBe(true);
  });

  it('applies the kernel filters: --syscalls, --failed, --min-duration', async () => {
    const dir = scratch();
    const cmd = ['--', workload('demo'), '100', join(dir, 'log')];
    const only = join(dir, 'only.csv');
    await run(['trace', '--output', only, '--syscalls', 'fsync,pread64', ...cmd]);
    const onlyCounts = await counts(['analyze', '--input', only, '--json']);
    // 800 preads of its own (and the dynamic loader's), 10 fsyncs: as the aggregate mode counts them
    const all = await counts(['trace', '--json', ...cmd]);
    expect(onlyCounts).toEqual({ pread64: all.pread64, fsync: all.fsync });
    expect(onlyCounts.fsync).toBe(10);
    expect(onlyCounts.pread64).toBeGreaterThanOrEqual(800);

    const failed = join(dir, 'failed.csv');
    await run(['trace', '--output', failed, '--failed', ...cmd]);
    const failedRows = csvRows(failed);
    expect(failedRows.length).toBeGreaterThanOrEqual(100);
    expect(failedRows.every((r) => Number(r[6]) < 0 && r[7] !== '')).toBe(true);
    expect(failedRows.filter((r) => r[4] === 'newfstatat' && r[7] === 'ENOENT')).toHaveLength(100);

    const slow = join(dir, 'slow.csv');
    await run(['trace', '--output', slow, '--min-duration', '100us', ...cmd]);
    const slowRows = csvRows(slow);
    expect(slowRows.length).toBeGreaterThan(0);
    expect(slowRows.every((r) => Number(r[5]) >= 100_000)).toBe(true);
  });

  it('detects a bimodal latency distribution in a real workload', async () => {
    const dir = scratch();
    const file = join(dir, 'bi.csv');
    await run(['trace', '--output', file, '--', workload('bimodal_sleep'), '200', '-']);
    const h = JSON.parse((await run(['histogram', '--input', file, '--syscall', 'clock_nanosleep', '--json'])).stdout) as {
      count: number; multimodal: boolean; modes: { share: number; lowNs: number; highNs: number }[];
    };
    expect(h.count).toBe(200);
    expect(h.multimodal).toBe(true);
    // 180 fast and 20 slow sleeps. On a busy machine some fast ones wake late, alone
    // between the two (a small middle mode of their own) or at the slow mode's edge
    const fast = h.modes[0]!;
    const slow = h.modes.at(-1)!;
    expect(h.modes.length).toBeGreaterThanOrEqual(2);
    expect(fast.share).toBeGreaterThan(0.8);
    expect(slow.share).toBeGreaterThanOrEqual(0.09);
    expect(slow.share).toBeLessThan(0.15);
    expect(h.modes.slice(1, -1).reduce((n, m) => n + m.share, 0)).toBeLessThan(0.1);
    // the fast mode is the 20 us sleeps (plus timer slack), the slow one ends with the 3 ms ones
    expect(fast.highNs).toBeLessThan(1e6);
    expect(slow.highNs).toBeGreaterThan(2.5e6);
    // a unimodal one is not
    const u = JSON.parse((await run(['histogram', '--input', file, '--syscall', 'execve', '--json'])).stdout) as { multimodal: boolean };
    expect(u.multimodal).toBe(false);
  });

  it('writes a report with the computed sections', async () => {
    const dir = scratch();
    const file = join(dir, 'f.csv');
    await run(['trace', '--output', file, '--', workload('fsync_write'), '200', join(dir, 'd')]);
    const out = join(dir, 'report.md');
    await run(['report', '--input', file, '--output', out]);
    const md = readFileSync(out, 'utf8');
    expect(md).toMatch(/Syscall Summary/);
    expect(md).toMatch(/\| fsync\s*\|\s*200\s*\|/);
    expect(md).toMatch(/fsync.*dominates/i);
  });
});
