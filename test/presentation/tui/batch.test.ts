import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../src/core/model/profile.js';
import { batchJson } from '../../../src/presentation/tui/batch-json.js';
import { batchText } from '../../../src/presentation/tui/batch-text.js';
import { LiveFeed } from '../../../src/presentation/tui/live-feed.js';
import { buildFrame } from '../../../src/presentation/tui/model/interval.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

const snap = (seconds: number, overrides: Partial<Profile> = {}): Profile =>
  profileOf({ durationNs: seconds * 1e9, final: false, stopReason: null, ...overrides });
const options = { view: 'syscall', sort: 'share', filter: '', top: 20, width: 100, intervalMs: 1000 } as const;

describe('batchText', () => {
  it('prints an empty interval', () => {
    const out = batchText(buildFrame(null, snap(1), 1), null, options);
    expect(out).toContain('--- snapshot 1 ---');
    expect(out).toContain('(no syscalls in this interval)');
  });

  it('prints the top rows and how many were left out', () => {
    const p = snap(1, { syscalls: [statsOf('read', 0, [1000, 1000]), statsOf('write', 1, [5000]), statsOf('close', 3, [100])] });
    const out = batchText(buildFrame(null, p, 1), null, { ...options, top: 2 });
    expect(out).toMatch(/^write\s+1\s+0\s+5\.0 µs/m);
    expect(out).toMatch(/^read\s+2\s+0\s+1\.0 µs/m);
    expect(out).not.toMatch(/^close/m);
    expect(out).toContain('... 1 more');
  });

  it('says when a view needs --events', () => {
    expect(batchText(buildFrame(null, snap(1), 1), null, { ...options, view: 'file' })).toContain('needs --events');
  });
});

describe('batchJson', () => {
  it('is one line of JSON with the interval figures', () => {
    const p = snap(2, { syscalls: [statsOf('read', 0, [1000, 1000, 1000, 1000], { errors: 2 })] });
    const line = batchJson(buildFrame(null, p, 1), 10);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trim().includes('\n')).toBe(false);
    const obj = JSON.parse(line);
    expect(obj).toMatchObject({ seq: 1, calls: 4, errors: 2, callsPerSec: 2, errorsPerSec: 1, lostEvents: 0, threads: null, files: null });
    expect(obj.syscalls[0]).toMatchObject({ name: 'read', calls: 4, avgNs: 1000, maxNs: 1000 });
  });

  it('has empty lists for an empty interval', () => {
    const obj = JSON.parse(batchJson(buildFrame(null, snap(1), 1), 10));
    expect([obj.calls, obj.syscalls, obj.processes]).toEqual([0, [], []]);
  });
});

describe('batchJson with cgroups', () => {
  const info = { path: '/kubepods/pod1/' + 'cd'.repeat(32), containerId: 'cd'.repeat(32), service: null };

  it("carries the --cgroup target's path and container id, and each process's cgroup", () => {
    const p = snap(1, {
      target: { kind: 'cgroup', path: '/sys/fs/cgroup' + info.path, follow: false },
      processes: [{ tgid: 42, comm: 'db', syscalls: [statsOf('fsync', 74, [1000])] }],
    });
    const feed = new LiveFeed(false, info);
    const obj = JSON.parse(batchJson(feed.pushSnapshot(p), 10, (tgid) => (tgid === 42 ? info : null)));
    expect(obj.cgroup).toEqual({ path: info.path, containerId: info.containerId, service: null });
    expect(obj.processes).toEqual([expect.objectContaining({ pid: 42, name: '42 db', calls: 1, cgroup: obj.cgroup })]);
  });

  it('has cgroup null for other targets and no process cgroups without a lookup', () => {
    const p = snap(1, { processes: [{ tgid: 42, comm: 'db', syscalls: [statsOf('fsync', 74, [1000])] }] });
    const obj = JSON.parse(batchJson(buildFrame(null, p, 1), 10));
    expect(obj.cgroup).toBeNull();
    expect(obj.processes[0]).not.toHaveProperty('cgroup');
    expect(obj.processes[0].pid).toBe(42);
  });
});

describe('waiting rows in batch output', () => {
  // a shell waiting for its job (wait4), a sleep, and the job's fsyncs and writes
  const waits = snap(1, {
    syscalls: [
      statsOf('wait4', 61, [800_000_000]),
      statsOf('nanosleep', 35, [100_000_000, 100_000_000]),
      statsOf('fsync', 74, [3_000_000, 3_000_000]),
      statsOf('write', 1, [1_000_000, 1_000_000]),
    ],
  });
  const lines = (out: string): string[] => out.split('\n');
  const index = (out: string, re: RegExp): number => lines(out).findIndex((l) => re.test(l));

  it('lists the working rows by working %TIME, then the waiting rows under their own title', () => {
    const out = batchText(buildFrame(null, waits, 1), null, options);
    const title = index(out, /^-- waiting calls, not in %TIME \(--include-waits counts them\) -+$/);
    expect(title).toBeGreaterThan(0);
    expect(index(out, /^fsync\s/)).toBeLessThan(index(out, /^write\s/));
    expect(index(out, /^write\s/)).toBeLessThan(title);
    expect(index(out, /^wait4\s/)).toBeGreaterThan(title);
    expect(index(out, /^nanosleep\s/)).toBeGreaterThan(index(out, /^wait4\s/));
    // %TIME over working time (8 ms): fsync 75%, write 25%; the waits have none
    expect(out).toMatch(/^fsync\s.*\s75\.0$/m);
    expect(out).toMatch(/^write\s.*\s25\.0$/m);
    expect(out).toMatch(/^wait4\s.*\swait$/m);
  });

  it('ranks waits with the rest and over all time with --include-waits', () => {
    const out = batchText(buildFrame(null, waits, 1), null, { ...options, includeWaits: true });
    expect(out).not.toContain('-- waiting');
    expect(index(out, /^wait4\s/)).toBeLessThan(index(out, /^fsync\s/));
    expect(out).toMatch(/^wait4\s.*\s79\.4$/m);
  });

  it('cuts at --top across both sections, the title only above a waiting row', () => {
    const top2 = batchText(buildFrame(null, waits, 1), null, { ...options, top: 2 });
    expect(top2).not.toContain('-- waiting');
    expect(top2).toContain('... 2 more');
    const top3 = batchText(buildFrame(null, waits, 1), null, { ...options, top: 3 });
    expect(top3).toContain('-- waiting');
    expect(top3).toMatch(/^wait4\s/m);
    expect(top3).not.toMatch(/^nanosleep\s/m);
  });

  it('marks waiting rows in JSON, working rows first, share over working time summing to 1', () => {
    const obj = JSON.parse(batchJson(buildFrame(null, waits, 1), 10));
    expect(obj).toMatchObject({ includeWaits: false, tracedNs: 1_008_000_000, waitNs: 1_000_000_000 });
    expect(obj.syscalls.map((r: { name: string; waiting: boolean; share: number | null }) => [r.name, r.waiting, r.share])).toEqual([
      ['fsync', false, 0.75],
      ['write', false, 0.25],
      ['wait4', true, null],
      ['nanosleep', true, null],
    ]);
    expect(obj.syscalls[2]).toMatchObject({ waitNs: 800_000_000, totalNs: 800_000_000 });
    expect(obj.categories.map((r: { name: string; waiting: boolean }) => [r.name, r.waiting])).toEqual([
      ['Disk sync', false],
      ['Disk write', false],
      ['Waiting', true],
    ]);
  });

  it('gives every row a share of all traced time in JSON with waits included', () => {
    const obj = JSON.parse(batchJson(buildFrame(null, waits, 1), 10, null, true));
    expect(obj.includeWaits).toBe(true);
    expect(obj.syscalls.map((r: { name: string }) => r.name)).toEqual(['wait4', 'nanosleep', 'fsync', 'write']);
    expect(obj.syscalls.map((r: { waiting: boolean }) => r.waiting)).toEqual([true, true, false, false]);
    expect(obj.syscalls.reduce((n: number, r: { share: number }) => n + r.share, 0)).toBeCloseTo(1, 3);
  });

  it('ranks a process by its working time and marks one that only waited', () => {
    const p = snap(1, {
      syscalls: waits.syscalls,
      processes: [
        { tgid: 1, comm: 'sh', syscalls: [statsOf('wait4', 61, [800_000_000]), statsOf('write', 1, [1_000_000])] },
        { tgid: 2, comm: 'job', syscalls: [statsOf('fsync', 74, [3_000_000, 3_000_000]), statsOf('write', 1, [1_000_000])] },
        { tgid: 3, comm: 'sleep', syscalls: [statsOf('nanosleep', 35, [100_000_000, 100_000_000])] },
      ],
    });
    const obj = JSON.parse(batchJson(buildFrame(null, p, 1), 10));
    expect(obj.processes.map((r: { pid: number; waiting: boolean; share: number | null }) => [r.pid, r.waiting, r.share])).toEqual([
      [2, false, 0.875],
      [1, false, 0.125],
      [3, true, null],
    ]);
    const text = batchText(buildFrame(null, p, 1), null, { ...options, view: 'process' });
    expect(index(text, /^2 job\s/)).toBeLessThan(index(text, /^1 sh\s/));
    expect(index(text, /^1 sh\s/)).toBeLessThan(index(text, /^-- waiting/));
    expect(index(text, /^-- waiting/)).toBeLessThan(index(text, /^3 sleep\s/));
  });
});
