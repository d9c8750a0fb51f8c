import { describe, expect, it } from 'vitest';
import { aggregateEvents } from '../../../src/core/analysis/aggregate-events.js';
import { DEFAULT_EDGES_NS } from '../../../src/core/analysis/buckets.js';
import { batchesOf } from '../../../src/core/model/events.js';
import { formatDuration } from '../../../src/presentation/render/units.js';
import { aggregateOf, callsOf, eventOf, logNormal } from '../../helpers/offline.js';

describe('aggregateEvents', () => {
  it('counts calls, errors by errno name, total, min and max per syscall', async () => {
    const agg = await aggregateOf([
      ...callsOf('openat', [5_000, 7_000, 9_000], { ret: -2 }),
      eventOf({ syscall: 'openat', durationNs: 3_000, ret: -13 }),
      eventOf({ syscall: 'openat', durationNs: 4_000, ret: 3 }),
      ...callsOf('read', [100, 300]),
    ]);
    expect(agg.source).toBe('events');
    const [openat, read] = agg.syscalls;
    expect(openat).toMatchObject({
      name: 'openat',
      count: 5,
      errors: 4,
      errnos: [
        { errno: 'ENOENT', count: 3 },
        { errno: 'EACCES', count: 1 },
      ],
      totalNs: 28_000,
      minNs: 3_000,
      maxNs: 9_000,
    });
    expect(read).toMatchObject({ name: 'read', count: 2, errors: 0, errnos: [], totalNs: 400, minNs: 100, maxNs: 300 });
  });

  it.each<[string, number, boolean]>([
    ['-1 (EPERM)', -1, true],
    ['-4095 (the last errno)', -4095, true],
    ['-4096 (not an errno)', -4096, false],
    ['0', 0, false],
    ['a large positive address', 0x7fff_0000_0000, false],
  ])('treats a return of %s as an error: %s', async (_name, ret, failed) => {
    const agg = await aggregateOf([eventOf({ ret })]);
    expect(agg.syscalls[0]!.errors).toBe(failed ? 1 : 0);
  });

  it.each<[string, number, number]>([
    ['p50', 0.5, 500],
    ['p90', 0.9, 900],
    ['p95', 0.95, 950],
    ['p99', 0.99, 990],
    ['max', 1, 1000],
  ])('gives the exact nearest-rank %s of small values', async (_name, q, expected) => {
    const agg = await aggregateOf(callsOf('read', Array.from({ length: 1000 }, (_, i) => i + 1)));
    expect(agg.syscalls[0]!.distribution.percentile(q)).toBe(expected);
  });

  it('gives large percentiles exact to 3 significant figures', async () => {
    const values = logNormal(20_000, 3_000_000, 1.5, 42);
    const agg = await aggregateOf(callsOf('read', values));
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
      const got = agg.syscalls[0]!.distribution.percentile(q)!;
      expect(Math.abs(got - exact) / exact).toBeLessThanOrEqual(1 / 2048);
      expect(formatDuration(got)).toBe(formatDuration(exact));
    }
  });

  it('gives the same answer through the JS and the WebAssembly histograms', async () => {
    const events = callsOf('read', logNormal(5_000, 50_000, 1, 7));
    const wasm = await aggregateEvents(batchesOf(events), { wasm: true });
    const js = await aggregateEvents(batchesOf(events), { wasm: false });
    for (const q of [0.5, 0.9, 0.99]) expect(wasm.syscalls[0]!.distribution.percentile(q)).toBe(js.syscalls[0]!.distribution.percentile(q));
    expect(wasm.syscalls[0]!.distribution.ranges()).toEqual(js.syscalls[0]!.distribution.ranges());
  });

  it('counts calls between the edges exactly, an edge value in the bucket above it', async () => {
    const agg = await aggregateOf(callsOf('read', [9_999, 10_000, 49_999, 50_000, 999_999, 1_000_000, 10_000_000, 10_000_001]));
    expect(agg.syscalls[0]!.edgeCounts).toEqual({ edgesNs: DEFAULT_EDGES_NS, counts: [1, 2, 1, 0, 1, 1, 2] });
  });

  it('counts custom edges when asked', async () => {
    const agg = await aggregateEvents(batchesOf(callsOf('read', [1, 2, 3, 4])), { edgesNs: [2, 4] });
    expect(agg.syscalls[0]!.edgeCounts).toEqual({ edgesNs: [2, 4], counts: [1, 2, 1] });
  });

  it('counts many custom edges (binary search) like a few', async () => {
    const edgesNs = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    const values = [0, 9, 10, 11, 55, 199, 200, 201, 1000];
    const agg = await aggregateEvents(batchesOf(callsOf('read', values)), { edgesNs });
    const expected = new Array<number>(21).fill(0);
    for (const v of values) expected[edgesNs.filter((e) => v >= e).length]! += 1;
    expect(agg.syscalls[0]!.edgeCounts!.counts).toEqual(expected);
  });

  it('rejects unsorted edges', async () => {
    await expect(aggregateEvents([], { edgesNs: [5, 2] })).rejects.toThrow(RangeError);
  });

  it('totals processes (named after the main thread) and threads', async () => {
    const agg = await aggregateOf([
      eventOf({ pid: 10, tid: 11, comm: 'worker', durationNs: 500, ret: -11 }),
      eventOf({ pid: 10, tid: 10, comm: 'db', durationNs: 100 }),
      eventOf({ pid: 10, tid: 11, comm: 'worker', durationNs: 500 }),
      eventOf({ pid: 20, tid: 20, comm: 'sh', durationNs: 50 }),
    ]);
    expect(agg.processes).toEqual([
      { pid: 10, comm: 'db', calls: 3, errors: 1, totalNs: 1100 },
      { pid: 20, comm: 'sh', calls: 1, errors: 0, totalNs: 50 },
    ]);
    expect(agg.threads).toEqual([
      { pid: 10, tid: 11, comm: 'worker', calls: 2, errors: 1, totalNs: 1000, spanNs: 500 },
      { pid: 10, tid: 10, comm: 'db', calls: 1, errors: 0, totalNs: 100, spanNs: 100 },
      { pid: 20, tid: 20, comm: 'sh', calls: 1, errors: 0, totalNs: 50, spanNs: 50 },
    ]);
  });

  it('splits reads and writes by what their fd is', async () => {
    const agg = await aggregateOf([
      eventOf({ syscall: 'read', durationNs: 10, path: '/var/db/table' }),
      eventOf({ syscall: 'read', durationNs: 20, path: 'socket:[1234]' }),
      eventOf({ syscall: 'read', durationNs: 40, path: 'pipe:[99]' }),
      eventOf({ syscall: 'read', durationNs: 80, path: null }),
      eventOf({ syscall: 'fsync', durationNs: 1000, path: '/var/db/table' }),
    ]);
    const read = agg.syscalls.find((s) => s.name === 'read')!;
    expect(read.categories).toEqual([
      { category: 'disk-read', calls: 2, totalNs: 90, offCpuNs: null, runqNs: null },
      { category: 'network', calls: 1, totalNs: 20, offCpuNs: null, runqNs: null },
      { category: 'other', calls: 1, totalNs: 40, offCpuNs: null, runqNs: null },
    ]);
    expect(agg.syscalls.find((s) => s.name === 'fsync')!.categories).toEqual([{ category: 'sync', calls: 1, totalNs: 1000, offCpuNs: null, runqNs: null }]);
  });

  it('sorts syscalls by total time, then count, then name', async () => {
    const agg = await aggregateOf([...callsOf('b', [10, 10]), ...callsOf('a', [20]), ...callsOf('c', [5, 5, 5, 5]), ...callsOf('z', [100])]);
    expect(agg.syscalls.map((s) => s.name)).toEqual(['z', 'c', 'b', 'a']);
  });

  it('reads many small batches as one stream and measures the span of the calls', async () => {
    const events = callsOf('read', Array.from({ length: 100 }, () => 500));
    const agg = await aggregateOf(events, 7);
    expect(agg.syscalls[0]!.count).toBe(100);
    // starts 0..99 µs, the last ends 500 ns later
    expect(agg.spanNs).toBe(99_000 + 500);
  });

  it('rounds fractional durations and counts negative ones as 0', async () => {
    const agg = await aggregateOf(callsOf('read', [1.4, 1.6, -5]));
    expect(agg.syscalls[0]).toMatchObject({ totalNs: 3, minNs: 0, maxNs: 2 });
  });

  it('gives an empty aggregate for no events', async () => {
    expect(await aggregateOf([])).toEqual({ source: 'events', syscalls: [], processes: [], threads: [], spanNs: null });
  });

  it('frees its histograms and rethrows when the input fails', async () => {
    async function* failing() {
      yield* batchesOf(callsOf('read', [1, 2, 3]));
      throw new Error('bad row');
    }
    await expect(aggregateEvents(failing())).rejects.toThrow('bad row');
  });
});
