// io_uring facts from per-request records: per file and opcode (count, bytes,
// time, punts, access pattern) and the per-opcode profile when the capture has
// no kernel aggregates.
import { describe, expect, it } from 'vitest';
import { IoUringRequestCollector } from '../../../src/core/analysis/io-uring-requests.js';
import { ioUringRequestsOf, type IoUringRequest } from '../../../src/core/model/io-uring-requests.js';
import { ioUringOff } from '../../../src/core/model/io-uring.js';

function req(i: number, offset: number | null, overrides: Partial<IoUringRequest> = {}): IoUringRequest {
  return { startNs: i * 10, durationNs: 1000 * (i + 1), pid: 9, tid: 9, comm: 'db', opcode: 22, fd: 3, fixedFile: false, offset, length: 4096, result: 4096, punted: false, ring: 1, path: '/d', ...overrides };
}

function collect(reqs: IoUringRequest[]): IoUringRequestCollector {
  const c = new IoUringRequestCollector();
  // completion order is not submission order: the pattern must not care
  c.add(ioUringRequestsOf([...reqs].reverse()));
  return c;
}

describe('IoUringRequestCollector', () => {
  it.each<[string, (i: number) => number, string]>([
    ['sequential', (i) => i * 4096, 'sequential'],
    ['random', (i) => ((i * 7919) % 64) * 4096, 'random'],
    ['in pairs', (i) => (Math.floor(i / 2) * 10 + (i % 2)) * 4096, 'mixed'],
  ])('calls %s offsets %s', (_name, offset, pattern) => {
    const u = collect(Array.from({ length: 20 }, (_, i) => req(i, offset(i))))!.result(null)!;
    expect(u.files).toHaveLength(1);
    expect(u.files![0]).toMatchObject({ path: '/d', op: 'read', count: 20, bytes: 20 * 4096, pattern });
  });

  it('leaves the pattern unknown with too few requests or no offsets', () => {
    expect(collect([req(0, 0), req(1, 4096)]).result(null)!.files![0]!.pattern).toBe('unknown');
    expect(collect(Array.from({ length: 20 }, (_, i) => req(i, null))).result(null)!.files![0]).toMatchObject({ pattern: 'unknown', minOffset: null, maxEnd: null });
  });

  it('builds the per-opcode profile from the requests: counts, errnos, bytes, punts, max', () => {
    const u = collect([req(0, 0), req(1, 4096, { result: -9 }), req(2, 0, { opcode: 23, punted: true }), req(3, 0, { opcode: 3, result: 0, length: 0 })]).result(null)!;
    expect(u).toMatchObject({ traced: true, fromRecords: true });
    expect(u.ops.map((o) => [o.op, o.count, o.errors, o.bytes, o.punted, o.maxNs])).toEqual([
      // by total time (read's 1 + 2 µs tie with write's 3 µs: more requests first)
      ['fsync', 1, 0, 0, 0, 4000],
      ['read', 2, 1, 4096, 0, 2000],
      ['write', 1, 0, 4096, 1, 3000],
    ]);
    expect(u.ops.find((o) => o.op === 'read')!.errnos).toEqual([{ errno: 9, count: 1 }]);
    expect(u.processes.map((p) => [p.tgid, p.comm, p.puntFds])).toEqual([[9, 'db', [{ fd: 3, punted: 1, totalNs: 3000 }]]]);
  });

  it('keeps the kernel aggregates when the capture has them, adding the files', () => {
    const kernel = { ...ioUringOff(null), traced: true, offReason: null };
    const u = collect([req(0, 0)]).result(kernel)!;
    expect(u.ops).toEqual([]);
    expect(u.files).toHaveLength(1);
    expect(u.fromRecords).toBeUndefined();
  });

  it('gives back what it was handed when there are no requests', () => {
    expect(new IoUringRequestCollector().result(null)).toBeNull();
  });
});
