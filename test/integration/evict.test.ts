// --evict-exited on the real kernel: under process churn the per-process table
// keeps room, because processes that have exited leave it once reported.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { traceWithEbpf } from '../../src/core/backends/ebpf/backend.js';
import type { EbpfTraceRequest } from '../../src/core/backends/ebpf/request.js';
import type { Profile } from '../../src/core/model/profile.js';
import { canTrace, loader, programsLeftAfter, scratch, workload } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

const CHILDREN = 200;

// the real loader with a small per-process table
function smallTableLoader(): string {
  const path = join(scratch(), 'loader.sh');
  writeFileSync(path, `#!/bin/sh\nexec ${loader} --max-entries 256 "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

async function churn(evictExited: boolean, onSnapshot?: (p: Profile) => void, intervalMs = 20) {
  const request: EbpfTraceRequest = {
    target: { kind: 'command', argv: [workload('churn'), String(CHILDREN), join(scratch(), 'f')] },
    follow: true,
    durationSec: null,
    intervalMs,
    commandStdout: 'stderr',
    evictExited,
  };
  return traceWithEbpf(request, onSnapshot, { loader: smallTableLoader() });
}

afterEach(async () => {
  expect(await programsLeftAfter()).toEqual([]);
});

describe('--evict-exited', () => {
  it('keeps the per-process table from filling under churn, totals intact', async () => {
    const p = await churn(true);
    expect(p.exit).toMatchObject({ kind: 'exited', code: 0 });
    expect(p.health.processDrops).toBe(0);
    // every child's write is counted in the per-syscall totals
    expect(p.syscalls.find((s) => s.name === 'write')?.count).toBe(CHILDREN);
    // the children reported before have left the per-process list
    expect(p.processes.length).toBeLessThan(CHILDREN / 4);
  });

  it('takes an exited process out of the table at the first snapshot after its exit', async () => {
    // in how many snapshots each child (the processes that write) was listed
    const listed = new Map<number, number>();
    let most = 0;
    const p = await churn(
      true,
      (s) => {
        most = Math.max(most, s.processes.reduce((n, proc) => n + proc.syscalls.length, 0));
        for (const proc of s.processes) {
          if (proc.syscalls.some((st) => st.name === 'write')) listed.set(proc.tgid, (listed.get(proc.tgid) ?? 0) + 1);
        }
      },
      60,
    );
    expect(p.exit).toMatchObject({ kind: 'exited', code: 0 });
    expect(p.health.processDrops).toBe(0);
    expect(listed.size).toBe(CHILDREN);
    // a child lives about a millisecond: listed once with its final counts, then gone
    // (twice only when a read caught it alive); evicting one snapshot late lists every child twice
    const twice = [...listed.values()].filter((n) => n > 1).length;
    expect(twice).toBeLessThan(CHILDREN / 4);
    // so the table holds about one interval of children (each 4-5 entries), not two
    expect(most).toBeLessThan(256);
    // exited processes' calls are all in the totals: one write per child
    expect(p.syscalls.find((s) => s.name === 'write')?.count).toBe(CHILDREN);
  });

  it('keeps the threads\' times whole: evicted processes are summed, never dropped', async () => {
    const snapshots: Profile[] = [];
    const p = await churn(true, (s) => snapshots.push(s));
    expect(p.health.timeDrops).toBe(0);
    // the parent and every child, each with one thread
    expect(p.threadCount).toBe(CHILDREN + 1);
    // cumulative in every snapshot, though most children left the per-process table
    // (a child caught exiting may be missing from one snapshot: ms, against the parent's 20 ms)
    for (let i = 1; i < snapshots.length; i++) expect(snapshots[i]!.threadNs!).toBeGreaterThanOrEqual(snapshots[i - 1]!.threadNs!);
    expect(snapshots.length).toBeGreaterThan(5);
    // the parent lives from the start to its exit, the children a few ms each
    expect(p.threadNs!).toBeLessThan(2 * p.durationNs);
  });

  it('without it, the same churn fills the table and calls lose their process', async () => {
    const p = await churn(false);
    expect(p.health.processDrops).toBeGreaterThan(0);
    expect(p.syscalls.find((s) => s.name === 'write')?.count).toBe(CHILDREN);
  });
});

describe('errors by errno in aggregate mode', () => {
  it('counts each syscall failure under its errno in the kernel', async () => {
    const request: EbpfTraceRequest = {
      target: { kind: 'command', argv: [workload('enoent_search'), '50', scratch()] },
      follow: true,
      durationSec: null,
      intervalMs: 200,
      commandStdout: 'stderr',
    };
    const p = await traceWithEbpf(request);
    expect(p.exit).toMatchObject({ kind: 'exited', code: 0 });
    const openat = p.syscalls.find((s) => s.name === 'openat')!;
    // 7 failed opens per library, all ENOENT (plus the dynamic loader's own, also ENOENT)
    expect(openat.errnos?.find((e) => e.errno === 2)?.count).toBeGreaterThanOrEqual(350);
    // the errno counts add up to the error count of every syscall
    for (const s of p.syscalls) expect((s.errnos ?? []).reduce((n, e) => n + e.count, 0)).toBe(s.errors);
  });
});
