// `sweep` and `check` on the real kernel: stress-ng at two levels around a
// real workload, and the CI gate on a real injected regression.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSpbCapture } from '../../src/core/capture/spb-reader.js';
import type { LoadLevel } from '../../src/core/model/load.js';
import { runBuiltCli } from '../helpers/cli.js';
import { canTrace, programsLeftAfter, scratch, workload } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

afterEach(async () => {
  expect(await programsLeftAfter()).toEqual([]);
});

// the load recorded in an spb capture
async function loadOf(path: string): Promise<LoadLevel> {
  const c = openSpbCapture(path, { progress: null });
  for await (const _ of c.batches) {
    // read to the end, where the note is
  }
  return c.final().meta.load!;
}

function stressRunning(): boolean {
  try {
    execFileSync('pgrep', ['-x', 'stress-ng']);
    return true;
  } catch {
    return false;
  }
}

describe('sweep', () => {
  it('traces a workload at two stress-ng levels and compares them', async () => {
    const dir = join(scratch(), 'sweep');
    // pingpong: two processes pass a byte back and forth through pipes, 5,000 times each way
    const r = await runBuiltCli(['sweep', '--command', `${workload('pingpong')} 5000`, '--levels', '0,2', '--warmup', '0.5', '-o', dir]);
    expect(r.stderr).toContain('level cpu-2: stress-ng --cpu 2');
    expect(r.exitCode).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['1-baseline.spb', '2-cpu-2.spb', 'compare.md', 'compare.md.assets']);
    expect(readdirSync(join(dir, 'compare.md.assets')).sort()).toEqual(['categories.svg', 'distributions.svg', 'latency.svg']);
    // the load generator is gone
    expect(stressRunning()).toBe(false);

    const base = await loadOf(join(dir, '1-baseline.spb'));
    const busy = await loadOf(join(dir, '2-cpu-2.spb'));
    expect(base).toMatchObject({ label: 'baseline', workers: 0, generator: null });
    expect(busy).toMatchObject({ label: 'cpu-2', workers: 2, generator: 'stress-ng --cpu 2' });
    // two spinning workers on this 2-CPU machine keep both CPUs busy, and the
    // workload's runnable threads queue behind them
    expect(busy.cpuBusy!).toBeGreaterThan(0.9);
    expect(busy.cpuBusy!).toBeGreaterThanOrEqual(base.cpuBusy!);
    expect(busy.cpuPressure.some!).toBeGreaterThan(0.2);
    expect(busy.windowNs).toBeGreaterThan(0);

    // the same work at both levels: exact counts, side by side
    const md = readFileSync(join(dir, 'compare.md'), 'utf8');
    expect(md).toContain('# Comparison: baseline, cpu-2');
    expect(md).toContain('stress-ng --cpu 2: CPUs');
    const writes = /### write\n\n(?:.*\n){2}\| baseline \| ([\d,]+) \|.*\n\| cpu-2 \| ([\d,]+) \|/.exec(md);
    expect(writes).not.toBeNull();
    expect([writes![1], writes![2]]).toEqual(['10,000', '10,000']);
    // stdout has the comparison too
    expect(r.stdout).toMatch(/^Comparison of 2 captures/);
  });

  it('refuses a non-empty output folder before starting any load', async () => {
    const dir = scratch();
    const r1 = await runBuiltCli(['sweep', '--command', `${workload('pingpong')} 10`, '--levels', '0,1', '--warmup', '0', '-o', dir]);
    expect(r1.exitCode).toBe(0);
    const r = await runBuiltCli(['sweep', '--command', `${workload('pingpong')} 10`, '--levels', '0,1', '-o', dir]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('exists and is not empty')]);
  });
});

describe('check on a real injected regression', () => {
  it('fails the gate when each commit makes 256x more data durable', async () => {
    const dir = scratch();
    const trace = async (name: string, kib: number): Promise<string> => {
      const out = join(dir, `${name}.spb`);
      const r = await runBuiltCli(['trace', '--output', out, '--', workload('commit_log'), '150', String(kib), '0', dir]);
      expect(r.exitCode).toBe(0);
      return out;
    };
    const base1 = await trace('base1', 4);
    const base2 = await trace('base2', 4);
    const big = await trace('big', 1024);
    const junit = join(dir, 'check.xml');
    const r = await runBuiltCli(['check', '--json', '--junit', junit, '--baseline', base1, '--baseline', base2, big]);
    const j = JSON.parse(r.stdout) as { exitCode: number; syscalls: { name: string; verdict: string; p50: { ratio: number } }[] };
    // fdatasync of 1 MiB per commit instead of 4 KiB: the device writes 256x more per call
    const sync = j.syscalls.find((s) => s.name === 'fdatasync')!;
    expect(sync.verdict).toBe('regressed');
    expect(sync.p50.ratio).toBeGreaterThan(0.5);
    expect(r.exitCode).toBe(1);
    expect(j.exitCode).toBe(1);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testcase [^>]*name="fdatasync"[^>]*>\s*<failure/);
    // one start-up call or two is never what holds or fails the gate
    expect(j.syscalls.filter((s) => ['brk', 'arch_prctl', 'set_tid_address'].includes(s.name)).map((s) => s.verdict)).toEqual(['few-calls', 'few-calls', 'few-calls']);
  });

  it('never calls an added sleep in the commit path a regression of the sleep', async () => {
    const dir = scratch();
    const base = join(dir, 'base.spb');
    const slept = join(dir, 'slept.spb');
    expect((await runBuiltCli(['trace', '--output', base, '--', workload('commit_log'), '100', '4', '0', dir])).exitCode).toBe(0);
    expect((await runBuiltCli(['trace', '--output', slept, '--', workload('commit_log'), '100', '4', '2000', dir])).exitCode).toBe(0);
    const r = await runBuiltCli(['check', '--json', '--baseline', base, slept]);
    const j = JSON.parse(r.stdout) as { syscalls: { name: string; verdict: string; currentCalls: number }[] };
    // the pause is a new waiting syscall, 100 calls: listed as new, never a regression
    expect(j.syscalls.find((s) => s.name === 'nanosleep' || s.name === 'clock_nanosleep')).toMatchObject({ verdict: 'new', currentCalls: 100 });
  });
});
