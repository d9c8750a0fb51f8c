// compareCaptures on synthetic levels with known shifts: what is significant,
// what is more work, which findings come and go.
import { describe, expect, it } from 'vitest';
import { compareCaptures, type CompareInput } from '../../../src/core/analysis/compare.js';
import type { SyscallEvent } from '../../../src/core/model/events.js';
import { analysisOf, callsOf, logNormal } from '../../helpers/offline.js';

// calls spread over the capture's two seconds
function spread(events: SyscallEvent[]): SyscallEvent[] {
  return events.map((e, i) => ({ ...e, startNs: Math.round((i * 1.9e9) / events.length) }));
}

async function level(label: string, events: SyscallEvent[]): Promise<CompareInput> {
  return { label, analysis: await analysisOf(spread(events)) };
}

const OPTIONS = { syscalls: null, top: 8, diff: {} } as const;

describe('compareCaptures', () => {
  it('flags a 30% p99 shift at n = 1,000 and leaves an identical level unchanged', async () => {
    const base = logNormal(1000, 20_000, 0.3, 1);
    // the same median, a tail 30% slower: the slowest tenth of the calls grow by 30%
    const sorted = [...base].sort((a, b) => a - b);
    const cut = sorted[900]!;
    const tail = logNormal(1000, 20_000, 0.3, 2).map((ns) => (ns >= cut ? Math.round(ns * 1.3) : ns));
    const c = compareCaptures(
      [await level('baseline', callsOf('read', base)), await level('same', callsOf('read', logNormal(1000, 20_000, 0.3, 3))), await level('tail', callsOf('read', tail))],
      OPTIONS,
    );
    const read = c.rows.find((r) => r.syscall === 'read')!;
    expect(read.changes[0]).toBeNull();
    expect(read.changes[1]!.perCall).toBe('unchanged');
    expect(read.changes[2]!.regressed).toContain('p99');
    expect(read.changes[2]!.p99PValue).toBeLessThan(0.01);
    expect(read.levels.map((s) => s!.calls)).toEqual([1000, 1000, 1000]);
    expect(read.levels[2]!.p99Ns).toBeGreaterThan(read.levels[0]!.p99Ns * 1.15);
  });

  it('does not flag identical distributions at n = 50 in at least 95% of seeded trials', async () => {
    let flagged = 0;
    const trials = 100;
    for (let t = 0; t < trials; t++) {
      const c = compareCaptures(
        [await level('a', callsOf('write', logNormal(50, 10_000, 0.5, 1000 + t))), await level('b', callsOf('write', logNormal(50, 10_000, 0.5, 5000 + t)))],
        OPTIONS,
      );
      const ch = c.rows[0]!.changes[1]!;
      if (ch.regressed.length > 0 || ch.improved.length > 0) flagged += 1;
    }
    expect(flagged).toBeLessThanOrEqual(trials * 0.05);
  });

  it('calls doubled work more work, not a regression', async () => {
    const c = compareCaptures([await level('x1', callsOf('write', logNormal(500, 8_000, 0.2, 7))), await level('x2', callsOf('write', logNormal(1000, 8_000, 0.2, 8)))], OPTIONS);
    const ch = c.rows[0]!.changes[1]!;
    expect(ch.work).toBe('more');
    expect(ch.regressed).toEqual([]);
    expect(c.levels.map((l) => l.calls)).toEqual([500, 1000]);
  });

  it('never calls longer waits a regression', async () => {
    const c = compareCaptures(
      [await level('a', callsOf('epoll_wait', logNormal(200, 1e6, 0.1, 9))), await level('b', callsOf('epoll_wait', logNormal(200, 5e6, 0.1, 10)))],
      OPTIONS,
    );
    const row = c.rows[0]!;
    expect(row.waiting).toBe(true);
    expect(row.changes[1]!.perCall).toBe('slower');
    expect(row.changes[1]!.regressed).toEqual([]);
  });

  it('keeps the asked syscalls in order, names the missing ones, and marks absent levels', async () => {
    const c = compareCaptures(
      [await level('a', [...callsOf('read', [1000, 2000]), ...callsOf('openat', [5000])]), await level('b', callsOf('read', [1000, 3000]))],
      { ...OPTIONS, syscalls: ['openat', 'mmap', 'read'] },
    );
    expect(c.rows.map((r) => r.syscall)).toEqual(['openat', 'read']);
    expect(c.missing).toEqual(['mmap']);
    expect(c.rows[0]!.levels[1]).toBeNull();
    expect(c.rows[0]!.changes[1]).toBeNull();
    // two calls a side: not judged
    expect(c.rows[1]!.changes[1]!.perCall).toBeNull();
  });

  it('picks the syscalls with the most time at any level by default', async () => {
    const c = compareCaptures(
      [await level('a', [...callsOf('read', [1000]), ...callsOf('fsync', [9e6])]), await level('b', [...callsOf('read', [1000]), ...callsOf('write', [20e6])])],
      { ...OPTIONS, top: 2 },
    );
    expect(c.rows.map((r) => r.syscall)).toEqual(['write', 'fsync']);
  });

  it('says which findings appear at some levels only', async () => {
    // 4-byte writes: small-io at the second level only
    const big = callsOf('write', Array<number>(400).fill(4000), { ret: 65536, args: [3n, 0n, 65536n], path: '/tmp/log' });
    const small = callsOf('write', Array<number>(4000).fill(4000), { ret: 4, args: [3n, 0n, 4n], path: '/tmp/log' });
    const c = compareCaptures([await level('big', big), await level('small', small)], OPTIONS);
    const changing = c.findings.filter((f) => f.changes);
    expect(changing.length).toBeGreaterThan(0);
    for (const f of changing) expect(f.levels.some((l) => l === null)).toBe(true);
    expect(c.findings.every((f) => f.levels.length === 2)).toBe(true);
  });

  it('gives each level its categories and verdict', async () => {
    const c = compareCaptures([await level('a', callsOf('fsync', [5e6, 5e6])), await level('b', callsOf('read', [1e6, 1e6]))], OPTIONS);
    const sync = c.categories.find((x) => x.category === 'sync')!;
    expect(sync.totalNs).toEqual([10e6, 0]);
    expect(c.levels).toHaveLength(2);
    expect(c.levels.every((l) => typeof l.verdict === 'string')).toBe(true);
  });

  it('needs two captures', async () => {
    expect(() => compareCaptures([{ label: 'a', analysis: null as never }], OPTIONS)).toThrow(RangeError);
  });
});
