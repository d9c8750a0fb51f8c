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
