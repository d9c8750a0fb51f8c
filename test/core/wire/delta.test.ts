// The delta protocol (--full-every): a reader rebuilds from deltas the same
// cumulative snapshots a full stream carries, and one that joins late or loses
// a frame recovers at the next full snapshot.
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../src/core/model/profile.js';
import { FrameSession } from '../../../src/core/wire/session.js';
import { decodeFrame } from '../../../src/core/wire/wire.js';
import { encodeFrame, headerFrame, snapshotFrame, statsOf } from '../../helpers/frames.js';
import { seededRandom } from '../../helpers/random.js';

type Obj = Record<string, unknown>;

// A full stream of cumulative snapshots: processes that come, make calls, and
// (some) exit and are evicted after the snapshot with their final values.
function fullStream(n: number, seed: number): Obj[] {
  const rand = seededRandom(seed);
  const sys = new Map<number, number[]>();
  const procs = new Map<number, Map<number, number[]>>();
  let nextTgid = 100;
  const frames: Obj[] = [];
  let evictNext: number[] = [];
  for (let seq = 0; seq < n; seq++) {
    for (const tgid of evictNext) procs.delete(tgid);
    evictNext = [];
    if (rand() < 0.6) procs.set(nextTgid++, new Map());
    for (const [tgid, byNr] of procs) {
      if (rand() < 0.5) continue; // unchanged this interval
      const nr = Math.floor(rand() * 4);
      const lat = 1000 + Math.floor(rand() * 100_000);
      byNr.set(nr, [...(byNr.get(nr) ?? []), lat]);
      sys.set(nr, [...(sys.get(nr) ?? []), lat]);
      if (rand() < 0.2) evictNext.push(tgid);
    }
    const live = [...procs].filter(([, byNr]) => byNr.size > 0);
    frames.push(
      snapshotFrame({
        seq,
        monoNs: 2_000_000_000 + seq * 1_000_000_000,
        final: seq === n - 1,
        syscalls: [...sys].sort((a, b) => a[0] - b[0]).map(([nr, v]) => statsOf(nr, v)),
        processes: live.flatMap(([tgid, byNr]) => [...byNr].map(([nr, v]) => statsOf(nr, v, { tgid }))),
        procs: live.map(([tgid]) => ({ tgid, comm: `p${tgid}` })),
      }),
    );
  }
  return frames;
}

// The same stream as the loader sends it with --full-every every: in between
// full ones, only the entries whose count changed, and the tgids evicted since.
function deltaStream(full: readonly Obj[], every: number): Obj[] {
  const sent = new Map<string, number>();
  let before = new Set<number>();
  return full.map((f, seq) => {
    const s = f['snapshot'] as Obj;
    const tgids = new Set((s['procs'] as Obj[]).map((p) => p['tgid'] as number));
    const gone = [...before].filter((t) => !tgids.has(t));
    before = tgids;
    const isDelta = seq % every !== 0 && s['final'] !== true;
    const changed = (st: Obj): boolean => {
      const key = `${st['tgid'] as number}/${st['nr'] as number}`;
      const was = sent.get(key);
      sent.set(key, st['count'] as number);
      return !isDelta || was !== st['count'];
    };
    const syscalls = (s['syscalls'] as Obj[]).filter(changed);
    const processes = (s['processes'] as Obj[]).filter(changed);
    const withEntries = new Set(processes.map((p) => p['tgid'] as number));
    const procs = (s['procs'] as Obj[]).filter((p) => withEntries.has(p['tgid'] as number));
    return { snapshot: { ...s, delta: isDelta, goneTgids: gone, syscalls, processes, procs } };
  });
}

// Each frame's result (a Profile, or null) in order.
function replay(frames: readonly Obj[]): (Profile | null)[] {
  const session = new FrameSession('test stream');
  return [headerFrame(), ...frames].map((f, i) => session.accept({ offset: i * 100, frame: decodeFrame(encodeFrame(f)) })).slice(1);
}

// A profile with its lists in one order, for comparing.
function canonical(p: Profile | null): unknown {
  if (p === null) return null;
  return { ...p, processes: [...p.processes].sort((a, b) => a.tgid - b.tgid) };
}

describe('delta snapshots (--full-every)', () => {
  it.each([2, 3, 7])('rebuild every snapshot of the full stream (a full one every %i)', (every) => {
    const full = fullStream(30, every);
    const deltas = deltaStream(full, every);
    // the deltas carry less than the full snapshots
    const size = (fs: readonly Obj[]): number => fs.reduce((n, f) => n + encodeFrame(f).length, 0);
    expect(size(deltas)).toBeLessThan(size(full));
    expect(replay(deltas).map(canonical)).toEqual(replay(full).map(canonical));
  });

  it('drops evicted processes, so the state does not grow with the processes that came and went', () => {
    const full = fullStream(60, 11);
    const results = replay(deltaStream(full, 1000));
    const last = results.at(-2)!;
    // as many processes as the full stream has at that point, not every one seen
    expect(last.processes.length).toBe(((full.at(-2)!['snapshot'] as Obj)['procs'] as Obj[]).length);
    expect(new Set(results.flatMap((p) => p?.processes.map((x) => x.tgid) ?? [])).size).toBeGreaterThan(last.processes.length);
  });

  it('a reader that joins late waits for the first full snapshot, then agrees', () => {
    const full = fullStream(20, 5);
    const deltas = deltaStream(full, 5);
    // joined at seq 2: the deltas up to the full one at seq 5 cannot be merged
    const late = replay(deltas.slice(2));
    expect(late.slice(0, 3)).toEqual([null, null, null]);
    expect(late.slice(3).map(canonical)).toEqual(replay(full).slice(5).map(canonical));
  });

  it('after a lost frame (a gap in seq) waits for the next full snapshot', () => {
    const full = fullStream(20, 9);
    const deltas = deltaStream(full, 5);
    const lossy = [...deltas.slice(0, 7), ...deltas.slice(8)];
    const got = replay(lossy);
    const want = replay(full);
    expect(got.slice(0, 7).map(canonical)).toEqual(want.slice(0, 7).map(canonical));
    // seq 8 and 9 follow the gap: nothing; seq 10 is full again
    expect(got.slice(7, 9)).toEqual([null, null]);
    expect(got.slice(9).map(canonical)).toEqual(want.slice(10).map(canonical));
  });

  it('refuses a final snapshot that is a delta', () => {
    const frames = deltaStream(fullStream(3, 1), 10);
    (frames[2]!['snapshot'] as Obj)['delta'] = true;
    expect(() => replay(frames)).toThrow('the final snapshot is a delta');
  });
});
