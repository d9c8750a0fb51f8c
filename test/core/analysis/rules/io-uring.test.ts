// The io_uring rules on hand-built profiles: requests, waits and overflows,
// and the io_uring_enter calls of the same capture.
import { describe, expect, it } from 'vitest';
import { aggregateProfile } from '../../../../src/core/analysis/aggregate-profile.js';
import { findingContext, type FindingContext } from '../../../../src/core/analysis/findings.js';
import { ioUringCqOverflow } from '../../../../src/core/analysis/rules/io-uring-cq-overflow.js';
import { DEPTH_BATCH, DEPTH_MIN_REQUESTS, ioUringDepthOne } from '../../../../src/core/analysis/rules/io-uring-depth-one.js';
import { FSYNC_MIN_REQUESTS, ioUringFsyncPerWrite } from '../../../../src/core/analysis/rules/io-uring-fsync-per-write.js';
import { ioUringPunts, PUNT_MIN_REQUESTS, PUNT_SAVING_SHARE } from '../../../../src/core/analysis/rules/io-uring-punts.js';
import { roundTripNs } from '../../../../src/core/analysis/rules/measure.js';
import { ioUringSmallSubmissions, SMALL_BATCH, SMALL_MIN_ENTERS } from '../../../../src/core/analysis/rules/io-uring-small-submissions.js';
import { ioUringOff, type IoUringOpStats, type IoUringProfile } from '../../../../src/core/model/io-uring.js';
import { uringOp, uringProfile } from '../../../helpers/io-uring.js';
import { profileOf, statsOf } from '../../../helpers/profile.js';

const US = 1000;
const n = (count: number, ns: number): number[] => Array.from({ length: count }, () => ns);

// a context with these io_uring_enter calls (each `enterNs`) and a 2 µs getpid as the round trip
function ctxOf(u: IoUringProfile | null, enters: number, enterNs = 5 * US): FindingContext {
  const syscalls = [statsOf('getpid', 39, n(100, 2 * US)), ...(enters > 0 ? [statsOf('io_uring_enter', 426, n(enters, enterNs))] : [])];
  return findingContext(aggregateProfile(profileOf({ syscalls })), 1e9, null, null, null, u);
}

function withOps(ops: IoUringOpStats[], extra: Parameters<typeof uringProfile>[1] = {}): IoUringProfile {
  return uringProfile(ops, extra);
}

describe('io-uring-punts', () => {
  it('fires for punted writes, names the fds, and saves the punted time beyond the inline time', () => {
    const u = withOps([uringOp('write', [...n(20, 50 * US), ...n(20, 10 * US)], { punted: 20 })], {
      process: { puntFds: [{ fd: 5, punted: 20, totalNs: 20 * 50 * US }] },
    });
    const [f, ...rest] = ioUringPunts(ctxOf(u, 40));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'io-uring-punts', syscall: null, metrics: { punted: 20, requests: 40, puntedNs: 1000 * US } });
    expect(f!.subject.fds).toEqual([{ pid: 4242, fd: 5, path: null, punted: 20, totalNs: 1000 * US }]);
    // 20 x (50 - 10) µs
    expect(f!.savingNs).toBeCloseTo(20 * 40 * US, 3);
  });

  it('without inline requests saves the hand-off share of the punted time', () => {
    const u = withOps([uringOp('write', n(20, 50 * US), { punted: 20 })], { process: { puntFds: [{ fd: 5, punted: 20, totalNs: 1000 * US }] } });
    expect(ioUringPunts(ctxOf(u, 20))[0]!.savingNs).toBeCloseTo(1000 * US * PUNT_SAVING_SHARE, 3);
  });

  it.each<[string, IoUringOpStats[], number]>([
    ['too few punts', [uringOp('write', n(PUNT_MIN_REQUESTS - 1, US), { punted: PUNT_MIN_REQUESTS - 1 })], 0],
    ['enough punts', [uringOp('write', n(PUNT_MIN_REQUESTS, US), { punted: PUNT_MIN_REQUESTS })], 1],
    ['a small share of many reads', [uringOp('read', n(1000, US), { punted: 20 })], 0],
    ['fsyncs are always punted', [uringOp('fsync', n(100, US), { punted: 100 })], 0],
  ])('%s', (_name, ops, count) => {
    expect(ioUringPunts(ctxOf(withOps(ops), 10))).toHaveLength(count);
  });
});

describe('io-uring-depth-one', () => {
  it('fires for one request per io_uring_enter; saves the round trips of 7 in 8 calls', () => {
    const u = withOps([uringOp('read', n(100, 20 * US))], { process: { waits: 100 } });
    const ctx = ctxOf(u, 100);
    const [f] = ioUringDepthOne(ctx);
    expect(f).toMatchObject({ rule: 'io-uring-depth-one', syscall: 'io_uring_enter', metrics: { requests: 100, enters: 100, waits: 100, perEnter: 1, batch: DEPTH_BATCH } });
    // the round trip: getpid's median, from its histogram
    const trip = roundTripNs(ctx)!;
    expect(Math.abs(trip - 2 * US) / (2 * US)).toBeLessThan(0.125);
    expect(f!.savingNs).toBeCloseTo((100 - 100 / DEPTH_BATCH) * trip, 3);
  });

  it.each<[string, number, number, number]>([
    ['too few requests', DEPTH_MIN_REQUESTS - 1, DEPTH_MIN_REQUESTS - 1, 0],
    ['enough requests', DEPTH_MIN_REQUESTS, DEPTH_MIN_REQUESTS, 1],
    ['8 per call', 800, 100, 0],
    ['SQPOLL: no io_uring_enter', 800, 0, 0],
  ])('%s', (_name, requests, enters, count) => {
    expect(ioUringDepthOne(ctxOf(withOps([uringOp('read', n(requests, US))]), enters))).toHaveLength(count);
  });
});

describe('io-uring-small-submissions', () => {
  it('fires for 2 requests per io_uring_enter; saves the round trips beyond one call per 16 requests', () => {
    const ctx = ctxOf(withOps([uringOp('read', n(400, US))]), 200);
    const [f] = ioUringSmallSubmissions(ctx);
    expect(f).toMatchObject({ rule: 'io-uring-small-submissions', metrics: { requests: 400, enters: 200, perEnter: 2, batch: SMALL_BATCH } });
    expect(f!.savingNs).toBeCloseTo((200 - 400 / SMALL_BATCH) * roundTripNs(ctx)!, 3);
  });

  it.each<[string, number, number, number]>([
    ['too few calls', 2 * (SMALL_MIN_ENTERS - 1), SMALL_MIN_ENTERS - 1, 0],
    ['enough calls', 2 * SMALL_MIN_ENTERS, SMALL_MIN_ENTERS, 1],
    ['one per call is depth one', 200, 200, 0],
    ['4 per call', 800, 200, 0],
  ])('%s', (_name, requests, enters, count) => {
    expect(ioUringSmallSubmissions(ctxOf(withOps([uringOp('read', n(requests, US))]), enters))).toHaveLength(count);
  });
});

describe('io-uring-fsync-per-write', () => {
  it('fires for an fsync per write; saves 7 in 8 of the fsync time', () => {
    const u = withOps([uringOp('write', n(20, 10 * US)), uringOp('fsync', n(20, 500 * US), { punted: 20 })]);
    const [f] = ioUringFsyncPerWrite(ctxOf(u, 40));
    expect(f).toMatchObject({ rule: 'io-uring-fsync-per-write', metrics: { fsyncs: 20, writes: 20, fsyncNs: 10_000 * US, batch: 8 } });
    expect(f!.savingNs).toBeCloseTo(10_000 * US * (7 / 8), 3);
  });

  it.each<[string, number, number, number]>([
    ['too few fsyncs', FSYNC_MIN_REQUESTS - 1, FSYNC_MIN_REQUESTS - 1, 0],
    ['enough fsyncs', FSYNC_MIN_REQUESTS, FSYNC_MIN_REQUESTS, 1],
    ['2 writes per fsync', 20, 40, 1],
    ['3 writes per fsync', 20, 60, 0],
    ['no writes', 20, 0, 0],
  ])('%s', (_name, fsyncs, writes, count) => {
    const ops = [uringOp('fsync', n(fsyncs, 100 * US)), ...(writes > 0 ? [uringOp('write', n(writes, US))] : [])];
    expect(ioUringFsyncPerWrite(ctxOf(withOps(ops), 10))).toHaveLength(count);
  });
});

describe('io-uring-cq-overflow', () => {
  it('fires on any overflow, naming the processes; no saving', () => {
    const [f] = ioUringCqOverflow(ctxOf(withOps([uringOp('nop', n(40, US))], { process: { overflows: 24 } }), 3));
    expect(f).toMatchObject({ rule: 'io-uring-cq-overflow', savingNs: 0, severity: 'info', metrics: { overflows: 24, requests: 40 } });
    expect(f!.subject.processes).toEqual([{ pid: 4242, comm: 'db', overflows: 24 }]);
    expect(ioUringCqOverflow(ctxOf(withOps([uringOp('nop', n(40, US))]), 3))).toEqual([]);
  });
});

describe('every io_uring rule', () => {
  it.each([
    ['no io_uring data', null],
    ['io_uring not traced', ioUringOff('disabled')],
    ['io_uring unused', uringProfile([])],
  ])('stays quiet with %s', (_name, u) => {
    const ctx = ctxOf(u, 500);
    for (const rule of [ioUringPunts, ioUringDepthOne, ioUringSmallSubmissions, ioUringFsyncPerWrite, ioUringCqOverflow]) expect(rule(ctx)).toEqual([]);
  });
});
