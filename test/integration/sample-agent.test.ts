// agent --sample 16 on the real kernel: /metrics keeps the call counter exact,
// the duration histogram holds about 1 call in 16, and the period is a gauge.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { canTrace, cli, scratch, workload } from '../helpers/kernel.js';
import { freePort } from '../helpers/net.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

const PERIOD = 16;
const FSYNCS = 1600;
const cg = `/sys/fs/cgroup/unified/syscall-prof-sample-${process.pid}`;
let agent: ChildProcess | null = null;

async function metrics(base: string): Promise<string | null> {
  try {
    const r = await fetch(`${base}/metrics`);
    return r.ok ? await r.text() : null;
  } catch {
    return null;
  }
}

// The value of one sample line (name with its labels as written), or null.
function value(text: string, sample: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? null : Number(line.split(' ').at(-1));
}

async function until<T>(what: string, probe: () => Promise<T | null>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

afterAll(() => {
  if (agent !== null && agent.exitCode === null) agent.kill('SIGKILL');
  try {
    rmdirSync(cg);
  } catch {
    // still busy: left for the next boot
  }
});

describe('agent --sample 16', () => {
  it('exports the exact fsync count, about 1 in 16 of them in the histogram, and the period', async () => {
    mkdirSync(cg);
    const port = await freePort();
    let err = '';
    agent = spawn(process.execPath, [cli, 'agent', '--sample', String(PERIOD), '--cgroup', cg, '--prometheus', `127.0.0.1:${port}`, '--interval', '200', '--labels', 'syscall'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    agent.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    await until('the agent to trace', async () => (err.includes('msg=tracing') ? true : null));
    const base = `http://127.0.0.1:${port}`;
    // the workload joins the cgroup, then execs: its fsyncs are exactly what it is told
    await execa('/bin/sh', ['-c', `echo $$ > ${cg}/cgroup.procs && exec ${workload('fsync_write')} ${FSYNCS} ${join(scratch(), 'f')}`]);
    const text = await until('every fsync on /metrics', async () => {
      const t = await metrics(base);
      return t !== null && value(t, 'syscall_prof_syscalls_total{syscall="fsync"}') === FSYNCS ? t : null;
    });
    expect(value(text, 'syscall_prof_sample_period')).toBe(PERIOD);
    // under --sample a call counts where it ends (an untimed call is seen only at
    // its exit, as perf trace counts): the shell's write to cgroup.procs began
    // outside the cgroup and ended in it, so it is one of the writes here
    expect(value(text, 'syscall_prof_syscalls_total{syscall="write"}')).toBe(FSYNCS + 1);
    const timed = value(text, 'syscall_prof_syscall_duration_seconds_count{syscall="fsync"}')!;
    // binomial(1600, 1/16): 100 ± 5 standard deviations (9.7 each)
    const sd = Math.sqrt(FSYNCS * (1 / PERIOD) * (1 - 1 / PERIOD));
    expect(Math.abs(timed - FSYNCS / PERIOD)).toBeLessThanOrEqual(5 * sd);
    expect(value(text, 'syscall_prof_syscall_duration_seconds_bucket{syscall="fsync",le="+Inf"}')).toBe(timed);
    const exited = new Promise((resolve) => agent!.once('exit', resolve));
    agent.kill('SIGTERM');
    // stops cleanly on SIGTERM
    expect(await exited).toBe(0);
  }, 90_000);
});
