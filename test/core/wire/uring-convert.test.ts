// The io_uring part of snapshots: hand decoder, validation, conversion into the model.
import { describe, expect, it } from 'vitest';
import { InvalidFrameError } from '../../../src/core/wire/frame-errors.js';
import { FrameSession } from '../../../src/core/wire/session.js';
import { syscallprof } from '../../../src/core/wire/proto.js';
import { decodeSnapshot } from '../../../src/core/wire/snapshot-decode.js';
import { decodeFrame } from '../../../src/core/wire/wire.js';
import { numberReader } from '../../../src/core/wire/number-reader.js';
import { bucketIndex } from '../../../src/core/model/histogram-layout.js';
import { encodeFrame, FINE, headerFrame, snapshotFrame } from '../../helpers/frames.js';

// an IoUringOpStats object whose histogram (fine layout) holds exactly these latencies
function opOf(tgid: number, opcode: number, values: readonly number[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const buckets = new Map<number, number>();
  for (const v of values) buckets.set(bucketIndex(FINE, v), (buckets.get(bucketIndex(FINE, v)) ?? 0) + 1);
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  return {
    tgid,
    opcode,
    count: values.length,
    totalNs: values.reduce((a, b) => a + b, 0),
    maxNs: Math.max(0, ...values),
    bucketIndex: sorted.map(([i]) => i),
    bucketCount: sorted.map(([, c]) => c),
    ...extra,
  };
}

const URING = {
  ioUringOps: [
    opOf(7, 22, [1000, 2000, 3000, 4000], { errors: 1, bytes: 3 * 4096 }),
    opOf(7, 3, [500_000], { punted: 1 }),
    opOf(8, 22, [8000], { bytes: 4096 }),
  ],
  ioUringErrnos: [{ tgid: 7, opcode: 22, err: 9, count: 1 }],
  ioUringProcs: [
    { tgid: 7, comm: 'db', waits: 5, overflows: 2 },
    { tgid: 8, comm: 'fio\u001b', waits: 1 },
  ],
  ioUringInFlight: [
    { tgid: 7, opcode: 23, ageNs: 100, fd: 4 },
    { tgid: 8, opcode: 3, ageNs: 9000, punted: true, fd: 5 },
  ],
  ioUringPuntFds: [
    { tgid: 7, fd: 3, punted: 1, totalNs: 500_000 },
    { tgid: 7, fd: 5, punted: 2, totalNs: 900_000 },
  ],
  ioUringRings: [
    { tgid: 7, ring: 0xabc, requests: 3, submits: 3, maxDepth: 1, depthSum: 3 },
    { tgid: 7, ring: 0xffffffff, requests: 8, submits: 2, maxDepth: 4, depthSum: 20 },
  ],
  health: { ioUringDrops: 4 },
};

function run(frames: Record<string, unknown>[]) {
  const session = new FrameSession('test stream');
  let last = null;
  frames.forEach((f, i) => {
    last = session.accept({ offset: i * 100, frame: decodeFrame(encodeFrame(f)) });
  });
  return last!;
}

describe('io_uring snapshot fields', () => {
  it('decodes by hand as the generated decoder does', () => {
    const body = syscallprof.Snapshot.encode(syscallprof.Snapshot.fromObject({ seq: 3, monoNs: 5, ...URING })).finish();
    const generated = syscallprof.Snapshot.decode(numberReader(body), body.length);
    expect(decodeSnapshot(body, 0, body.length).toJSON()).toEqual(generated.toJSON());
  });

  it('converts per (process, opcode) stats into per-opcode totals, per-process rows, in-flight requests oldest first', () => {
    const p = run([headerFrame({ ioUring: true }), snapshotFrame({ final: true, ...URING })]);
    const u = p.ioUring!;
    expect(u.traced).toBe(true);
    // read: both processes merged; fsync; by total time
    expect(u.ops.map((o) => [o.op, o.count, o.errors, o.totalNs, o.maxNs, o.bytes, o.punted, o.histogram.total])).toEqual([
      ['fsync', 1, 0, 500_000, 500_000, 0, 1, 1],
      ['read', 5, 1, 18_000, 8000, 4 * 4096, 0, 5],
    ]);
    expect(u.ops[1]!.errnos).toEqual([{ errno: 9, count: 1 }]);
    expect(u.ops[1]!.histogram.layout).toEqual(FINE);
    expect(u.processes.map((x) => [x.tgid, x.comm, x.waits, x.overflows, x.ops.map((o) => o.op)])).toEqual([
      [7, 'db', 5, 2, ['fsync', 'read']],
      [8, 'fio?', 1, 0, ['read']],
    ]);
    // punted requests by fd, most time first
    expect(u.processes[0]!.puntFds).toEqual([
      { fd: 5, punted: 2, totalNs: 900_000 },
      { fd: 3, punted: 1, totalNs: 500_000 },
    ]);
    expect(u.processes[1]!.puntFds).toEqual([]);
    // rings, most requests first, with the mean depth
    expect(u.processes[0]!.rings).toEqual([
      { ring: 0xffffffff, requests: 8, submits: 2, maxDepth: 4, avgDepth: 2.5 },
      { ring: 0xabc, requests: 3, submits: 3, maxDepth: 1, avgDepth: 1 },
    ]);
    expect(u.processes[1]!.rings).toEqual([]);
    expect(u.inFlight).toEqual([
      { tgid: 8, op: 'fsync', opcode: 3, ageNs: 9000, punted: true, fd: 5 },
      { tgid: 7, op: 'write', opcode: 23, ageNs: 100, punted: false, fd: 4 },
    ]);
    expect(u.drops).toBe(4);
  });

  it('says why io_uring was not traced, with nothing else', () => {
    const p = run([headerFrame({ ioUring: false, ioUringOffReason: 'io_uring is disabled' }), snapshotFrame({ final: true })]);
    expect(p.ioUring).toEqual({ traced: false, offReason: 'io_uring is disabled', ops: [], processes: [], inFlight: [], drops: 0 });
    // an older loader: no reason
    expect(run([headerFrame(), snapshotFrame({ final: true })]).ioUring).toMatchObject({ traced: false, offReason: null });
  });

  it.each([
    ['io_uring stats the header did not announce', {}, { ioUringOps: [opOf(7, 22, [1])] }, /did not announce/],
    ['tgid 0', { ioUring: true }, { ioUringOps: [opOf(0, 22, [1])] }, /tgid 0/],
    ['an opcode twice', { ioUring: true }, { ioUringOps: [opOf(7, 22, [1]), opOf(7, 22, [2])] }, /appears twice/],
    ['a bucket beyond the layout', { ioUring: true }, { ioUringOps: [{ ...opOf(7, 22, [1]), bucketIndex: [FINE.buckets] }] }, /outside/],
    ['more errors than requests', { ioUring: true }, { ioUringOps: [opOf(7, 22, [1], { errors: 2 })] }, /more errors/],
    ['a ring of tgid 0', { ioUring: true }, { ioUringRings: [{ tgid: 0, ring: 1, requests: 1, maxDepth: 1, depthSum: 1 }] }, /tgid 0/],
    ['a ring deeper than its requests', { ioUring: true }, { ioUringRings: [{ tgid: 7, ring: 1, requests: 2, maxDepth: 3, depthSum: 4 }] }, /depth beyond/],
    ['errno 0', { ioUring: true }, { ioUringErrnos: [{ tgid: 7, opcode: 22, err: 0, count: 1 }] }, /errno 0/],
  ])('rejects %s', (_what, header, snap, message) => {
    expect(() => run([headerFrame(header), snapshotFrame(snap)])).toThrow(InvalidFrameError);
    expect(() => run([headerFrame(header), snapshotFrame(snap)])).toThrow(message);
  });
});
