// Delta snapshots (--full-every) on the real kernel: between whole snapshots the
// loader sends only the entries that changed, and the reader's cumulative
// snapshots still count every call, with evicted processes dropped.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceWithEbpf } from '../../src/core/backends/ebpf/backend.js';
import type { EbpfTraceRequest } from '../../src/core/backends/ebpf/request.js';
import type { Profile } from '../../src/core/model/profile.js';
import { FrameReader } from '../../src/core/wire/frame-reader.js';
import { decodeFrame, type WireSnapshot } from '../../src/core/wire/wire.js';
// no check that no sp_ program is left loaded afterwards: other people's loaders
// run on this machine too (the programs' own tests check detaching)
import { canTrace, scratch, workload } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

const CHILDREN = 300;

// the loader's snapshots as sent (raw, before merging) and the reader's profiles
async function run(fullEvery: number): Promise<{ raw: WireSnapshot[]; profiles: Profile[]; last: Profile }> {
  const request: EbpfTraceRequest = {
    target: { kind: 'command', argv: [workload('churn'), String(CHILDREN), join(scratch(), 'f')] },
    follow: true,
    durationSec: null,
    intervalMs: 20,
    commandStdout: 'stderr',
    evictExited: true,
    fullEvery,
  };
  const reader = new FrameReader(decodeFrame, { source: 'test' });
  const raw: WireSnapshot[] = [];
  const profiles: Profile[] = [];
  const last = await traceWithEbpf(request, (p) => profiles.push(p), {
    onRawChunk: (chunk) => {
      for (const { frame } of reader.push(chunk)) if (frame.snapshot !== null) raw.push(frame.snapshot);
    },
  });
  return { raw, profiles, last };
}

const writes = (p: Profile): number => p.syscalls.find((s) => s.name === 'write')?.count ?? 0;

describe('--full-every on the real kernel', () => {
  it('sends only what changed between whole snapshots; the reader counts every call', async () => {
    const { raw, profiles, last } = await run(5);
    expect(last.exit).toMatchObject({ kind: 'exited', code: 0 });
    // seq 0, 5, 10, ... and the final one are whole, the rest deltas
    for (const s of raw) expect(s.delta).toBe(s.seq % 5 !== 0 && !s.final);
    const deltas = raw.filter((s) => s.delta);
    expect(deltas.length).toBeGreaterThan(raw.length / 2);
    // a delta carries fewer per-syscall entries than the whole state: most syscalls are idle
    const wholeSyscalls = Math.max(...raw.filter((s) => !s.delta).map((s) => s.syscalls.length));
    expect(Math.min(...deltas.map((s) => s.syscalls.length))).toBeLessThan(wholeSyscalls);
    // evicted children are said to be gone, in deltas and whole snapshots alike
    expect(raw.reduce((n, s) => n + s.goneTgids.length, 0)).toBeGreaterThan(CHILDREN / 2);
    // every snapshot the reader builds is cumulative: counts never go down
    expect(profiles.length).toBe(raw.length);
    for (let i = 1; i < profiles.length; i++) {
      for (const s of profiles[i - 1]!.syscalls) expect(profiles[i]!.syscalls.find((x) => x.name === s.name)?.count ?? 0).toBeGreaterThanOrEqual(s.count);
    }
    // one write per child; the reader holds about one interval of children, not all of them
    expect(writes(last)).toBe(CHILDREN);
    expect(Math.max(...profiles.map((p) => p.processes.length))).toBeLessThan(CHILDREN / 4);
    expect(last.health.processDrops).toBe(0);
  });

  it('gives the same totals as whole snapshots', async () => {
    const [whole, delta] = [await run(1), await run(4)];
    expect(whole.raw.every((s) => !s.delta)).toBe(true);
    for (const r of [whole, delta]) {
      expect(writes(r.last)).toBe(CHILDREN);
      // every child's open, write and close, wherever it was counted
      const names = ['write', 'close'];
      for (const n of names) expect(r.last.syscalls.find((s) => s.name === n)!.count).toBeGreaterThanOrEqual(CHILDREN);
    }
    // the same children per process: each child's own calls, in both
    const childCalls = (p: Profile): number[] => p.processes.filter((x) => x.syscalls.some((s) => s.name === 'write')).map((x) => x.syscalls.find((s) => s.name === 'write')!.count);
    for (const r of [whole, delta]) expect(childCalls(r.last).every((n) => n === 1)).toBe(true);
  });
});
