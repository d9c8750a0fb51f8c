import { describe, expect, it } from 'vitest';
import { syscallRow, syscallRows } from '../../../src/core/analysis/syscall-rows.js';
import { statsOf } from '../../helpers/profile.js';

describe('syscallRows', () => {
  it('sorts by total time, then count, then name', () => {
    const rows = syscallRows([
      statsOf('read', 0, [10, 10]),
      statsOf('fsync', 74, [5000]),
      statsOf('write', 1, [20]),
      statsOf('close', 3, [5, 5, 5, 5]),
      statsOf('brk', 12, [20]),
    ]);
    // close, read, brk and write all took 20 ns in total
    expect(rows.map((r) => r.name)).toEqual(['fsync', 'close', 'read', 'brk', 'write']);
  });

  it('computes avg, p50, p99 and max', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const row = syscallRow(statsOf('read', 0, values, { errors: 2 }));
    expect(row).toMatchObject({ count: 100, errors: 2, totalNs: 5050, avgNs: 50.5, maxNs: 100 });
    // within one fine bucket (12.5%) of the exact 50 and 99
    expect(Math.abs(row.p50Ns! - 50) / 50).toBeLessThanOrEqual(0.125);
    expect(Math.abs(row.p99Ns! - 99) / 99).toBeLessThanOrEqual(0.125);
  });

  it('gives null latencies for a syscall without calls, and [] for no syscalls', () => {
    expect(syscallRow(statsOf('read', 0, []))).toMatchObject({ count: 0, avgNs: null, p50Ns: null, p99Ns: null, maxNs: null });
    expect(syscallRows([])).toEqual([]);
  });
});
