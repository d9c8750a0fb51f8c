import { describe, expect, it } from 'vitest';
import { AnomalyDetector } from '../../../src/core/analysis/anomaly-detector.js';
import type { AnomalyChange } from '../../../src/core/analysis/anomaly.js';
import { seededRandom } from '../../helpers/random.js';
import { lognormal, SnapshotStream, type IntervalCalls } from './anomaly-stream.js';

const FSYNC = '42/db/fsync';

// Feeds `intervals` snapshots; returns the changes with the interval (1-based) each came in.
function run(det: AnomalyDetector, stream: SnapshotStream, intervals: number, calls: (i: number) => Record<string, IntervalCalls>): { i: number; c: AnomalyChange }[] {
  const out: { i: number; c: AnomalyChange }[] = [];
  for (let i = 1; i <= intervals; i++) for (const c of det.update(stream.next(calls(i)))) out.push({ i, c });
  return out;
}

describe('AnomalyDetector, p99', () => {
  it.each([
    ['process', '42/db/fsync'],
    ['syscall', 'fsync/*/p99'],
  ] as const)('fires within a few intervals of a 10x p99 step (by %s), and ends when it is back', (by, _what) => {
    const rand = seededRandom(7);
    const det = new AnomalyDetector({ by });
    const stream = new SnapshotStream();
    const changes = run(det, stream, 80, (i) => ({ [FSYNC]: { latencies: lognormal(rand, 200, 100_000, 0.3).map((v) => (i > 40 && i <= 60 ? v * 10 : v)) } }));
    expect(changes.map((x) => [x.i, x.c.type, x.c.anomaly.kind])).toEqual([
      [43, 'start', 'p99'],
      [63, 'end', 'p99'],
    ]);
    const a = changes[0]!.c.anomaly;
    expect(a.series).toEqual(by === 'process' ? { syscall: 'fsync', tgid: 42, comm: 'db' } : { syscall: 'fsync', tgid: null, comm: null });
    // baseline p99 of lognormal(100 us, 0.3) is ~200 us; observed ~10x that
    expect(a.baseline).toBeGreaterThan(150_000);
    expect(a.baseline).toBeLessThan(260_000);
    expect(a.observed / a.baseline).toBeGreaterThan(6);
    expect(a.observed / a.baseline).toBeLessThan(15);
    // since: the first deviating interval's end (interval 41, 1 s each)
    expect(a.sinceMs - changes[0]!.c.atMs).toBe(-2000);
    expect(changes[1]!.c.reason).toBe('normal');
    expect(det.active()).toEqual([]);
  });

  it('is active while the step lasts', () => {
    const rand = seededRandom(3);
    const det = new AnomalyDetector();
    const stream = new SnapshotStream();
    run(det, stream, 45, (i) => ({ [FSYNC]: { latencies: lognormal(rand, 100, 50_000, 0.2).map((v) => (i > 30 ? v * 8 : v)) } }));
    expect(det.active().map((a) => a.id)).toEqual(['fsync/42/p99']);
    expect(det.active()[0]!.observations).toBeGreaterThanOrEqual(13);
  });

  it('stays quiet on steady noise: seeded streams, many trials, false positives bounded', () => {
    let starts = 0;
    let observations = 0;
    const trials = 100;
    for (let t = 0; t < trials; t++) {
      const rand = seededRandom(1000 + t);
      const det = new AnomalyDetector();
      const stream = new SnapshotStream();
      // noisy: lognormal sigma 0.6, 20..220 calls per interval, and now and then a burst of 3x slower calls
      const changes = run(det, stream, 150, () => {
        const n = 20 + Math.floor(rand() * 200);
        const lat = lognormal(rand, n, 30_000, 0.6);
        if (rand() < 0.05) for (let k = 0; k < 3; k++) lat[k] = lat[k]! * 3;
        return { '7/app/read': { latencies: lat, errors: Math.floor(rand() * 3) } };
      });
      starts += changes.filter((x) => x.c.type === 'start').length;
      observations += 150;
    }
    // measured: 0 in 15,000 observations; allow one in 5,000
    expect(starts).toBeLessThanOrEqual(observations / 5000);
  });

  it('stays quiet through a slow warm-up: wild values before the baseline exists, then a slow drift', () => {
    const rand = seededRandom(11);
    const det = new AnomalyDetector();
    const stream = new SnapshotStream();
    // first 8 intervals: a cold cache, 20x slower; then 60 intervals drifting up 2% each (3.3x in all)
    const changes = run(det, stream, 100, (i) => {
      const scale = i <= 8 ? 20 : 1.02 ** Math.min(60, Math.max(0, i - 20));
      return { [FSYNC]: { latencies: lognormal(rand, 150, 100_000 * scale, 0.3) } };
    });
    expect(changes).toEqual([]);
  });

  it('stays quiet when only one or two calls an interval are slow (an interrupt, a preemption), not when more are', () => {
    for (const [slowCalls, fires] of [
      [2, false],
      [6, true],
    ] as const) {
      const rand = seededRandom(13);
      const det = new AnomalyDetector();
      const stream = new SnapshotStream();
      const changes = run(det, stream, 40, (i) => {
        const lat = lognormal(rand, 100, 3_000, 0.1);
        if (i > 20) for (let k = 0; k < slowCalls; k++) lat[k] = 80_000;
        return { '9/app/write': { latencies: lat } };
      });
      expect(changes.map((x) => x.c.type)).toEqual(fires ? ['start'] : []);
    }
  });

  it('judges a series whose calls slow down below minCalls per interval over a longer span', () => {
    const rand = seededRandom(5);
    const det = new AnomalyDetector({ minCalls: 20 });
    const stream = new SnapshotStream();
    // 100 calls per interval, then 10x slower and so 10x fewer: 10 per interval
    const changes = run(det, stream, 60, (i) => ({ [FSYNC]: { latencies: i <= 30 ? lognormal(rand, 100, 100_000, 0.2) : lognormal(rand, 10, 1_000_000, 0.2) } }));
    const start = changes.find((x) => x.c.type === 'start');
    expect(start?.c.anomaly.kind).toBe('p99');
    // observations of 2 intervals each: 3 of them
    expect(start!.i).toBe(36);
  });

  it('ends an anomaly when its process goes away', () => {
    const rand = seededRandom(9);
    const det = new AnomalyDetector();
    const stream = new SnapshotStream();
    run(det, stream, 40, (i) => ({ [FSYNC]: { latencies: lognormal(rand, 100, 100_000, 0.2).map((v) => (i > 30 ? v * 10 : v)) }, '1/init/read': { latencies: [1000] } }));
    expect(det.active()).toHaveLength(1);
    stream.drop(FSYNC);
    const changes = det.update(stream.next({ '1/init/read': { latencies: [1000] } }));
    expect(changes.map((c) => [c.type, c.reason, c.anomaly.id])).toEqual([['end', 'gone', 'fsync/42/p99']]);
    expect(det.trackedSeries).toBe(1);
  });
});

describe('AnomalyDetector, errors and errnos', () => {
  it('fires when the error share rises and ends when it falls back', () => {
    const rand = seededRandom(21);
    const det = new AnomalyDetector();
    const stream = new SnapshotStream();
    const changes = run(det, stream, 60, (i) => {
      const n = 200;
      const share = i > 30 && i <= 45 ? 0.3 : 0.01;
      let errors = 0;
      for (let k = 0; k < n; k++) if (rand() < share) errors++;
      return { '5/web/openat': { latencies: lognormal(rand, n, 5_000, 0.3), errors, errnos: { 2: errors } } };
    });
    expect(changes.map((x) => [x.i, x.c.type, x.c.anomaly.kind])).toEqual([
      [33, 'start', 'errors'],
      [48, 'end', 'errors'],
    ]);
    expect(changes[0]!.c.anomaly.baseline).toBeLessThan(0.03);
    expect(changes[0]!.c.anomaly.observed).toBeGreaterThan(0.2);
  });

  it('fires on a new errno, not on one the baseline had', () => {
    const det = new AnomalyDetector();
    const stream = new SnapshotStream();
    const lat = Array.from({ length: 50 }, () => 2000);
    const changes = run(det, stream, 40, (i) => ({
      // EAGAIN (11) all along; ENOSPC (28) from interval 25 to 30
      '9/logger/write': { latencies: lat, errors: i >= 25 && i <= 30 ? 2 : 1, errnos: i >= 25 && i <= 30 ? { 11: 1, 28: 1 } : { 11: 1 } },
    }));
    expect(changes.map((x) => [x.i, x.c.type, x.c.anomaly.kind, x.c.anomaly.errno, x.c.anomaly.series.tgid])).toEqual([
      [27, 'start', 'errno', 28, null],
      [33, 'end', 'errno', 28, null],
    ]);
  });

  it('does not fire on an errno seen for fewer than `sustain` intervals', () => {
    const det = new AnomalyDetector();
    const stream = new SnapshotStream();
    const lat = Array.from({ length: 50 }, () => 2000);
    const changes = run(det, stream, 40, (i) => ({ '9/logger/write': { latencies: lat, errors: i === 25 || i === 26 ? 1 : 0, errnos: i === 25 || i === 26 ? { 28: 1 } : {} } }));
    expect(changes).toEqual([]);
  });
});

describe('AnomalyDetector, rate', () => {
  it('is off by default and, when asked for, fires on a collapse', () => {
    for (const kinds of [undefined, ['rate'] as const]) {
      const rand = seededRandom(2);
      const det = new AnomalyDetector(kinds === undefined ? {} : { kinds: [...kinds] });
      const stream = new SnapshotStream();
      const changes = run(det, stream, 50, (i) => ({ '3/q/recvfrom': { latencies: lognormal(rand, i <= 30 ? 1000 : 40, 10_000, 0.2) } }));
      expect(changes.map((x) => [x.c.type, x.c.anomaly.kind])).toEqual(kinds === undefined ? [] : [['start', 'rate']]);
    }
  });
});
