import { describe, expect, it } from 'vitest';
import { ioUringRows } from '../../../src/core/analysis/io-uring-rows.js';
import { categoryTimes, withIoUring } from '../../../src/core/analysis/category-times.js';
import { categoryOfName } from '../../../src/core/model/categories.js';
import { ioUringCategory, ioUringOpcode, ioUringOpName } from '../../../src/core/model/io-uring.js';
import { uringOp, uringProfile } from '../../helpers/io-uring.js';

describe('io_uring rows', () => {
  it('gives counts, percentiles within the histogram error, punt rate and bytes, by total time', () => {
    const reads = Array.from({ length: 100 }, (_, i) => 1000 + i * 10);
    const rows = ioUringRows([uringOp('read', reads, { bytes: 409_600 }), uringOp('fsync', [2e6, 3e6], { punted: 2 }), uringOp('nop', [])]);
    expect(rows.map((r) => [r.op, r.count, r.punted, r.puntRate, r.bytes])).toEqual([
      ['fsync', 2, 2, 1, 0],
      ['read', 100, 0, 0, 409_600],
    ]);
    const read = rows[1]!;
    expect(Math.abs(read.p50Ns! - 1495) / 1495).toBeLessThan(0.125);
    expect(read.maxNs).toBe(1990);
    expect(read.avgNs).toBe(1495);
  });

  it('has no rows without requests', () => {
    expect(ioUringRows([])).toEqual([]);
    expect(ioUringRows([uringOp('read', [])])).toEqual([]);
  });
});

describe('io_uring opcodes', () => {
  it.each([
    [22, 'read'],
    [3, 'fsync'],
    [62, 'pipe'],
    [99, 'op-99'],
  ])('names opcode %i %s, and back', (opcode, name) => {
    expect(ioUringOpName(opcode)).toBe(name);
    expect(ioUringOpcode(name)).toBe(opcode);
  });

  it('takes IORING_OP_ names and refuses unknown ones', () => {
    expect(ioUringOpcode('IORING_OP_WRITE')).toBe(23);
    expect(ioUringOpcode('reed')).toBeNull();
  });
});

describe('io_uring in the time by category', () => {
  it.each([
    ['read', 'disk-read'],
    ['read_fixed', 'disk-read'],
    ['write', 'disk-write'],
    ['fsync', 'sync'],
    ['send', 'network'],
    ['accept', 'network'],
    ['openat', 'metadata'],
    ['timeout', 'wait'],
    ['nop', 'other'],
  ])('counts %s in %s', (op, category) => {
    expect(ioUringCategory(op)).toBe(category);
  });

  it('waits in io_uring_enter, and counts the requests in their categories', () => {
    expect(categoryOfName('io_uring_enter')).toBe('wait');
    const times = categoryTimes(withIoUring({ syscalls: [] }, uringProfile([uringOp('read', [1000, 3000]), uringOp('fsync', [9000])])));
    expect(times.map((c) => [c.category, c.calls, c.totalNs, c.syscalls])).toEqual([
      ['sync', 1, 9000, ['io_uring fsync']],
      ['disk-read', 2, 4000, ['io_uring read']],
    ]);
  });

  it('leaves the aggregate alone without io_uring', () => {
    const agg = { syscalls: [] };
    expect(withIoUring(agg, null)).toBe(agg);
    expect(withIoUring(agg, uringProfile([]))).toBe(agg);
  });
});
