import { describe, expect, it } from 'vitest';
import { processRows } from '../../../src/core/analysis/process-rows.js';
import { topRows } from '../../../src/core/analysis/top.js';
import { totals } from '../../../src/core/analysis/totals.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

describe('totals', () => {
  it('sums calls, errors and time, and counts distinct syscalls with calls', () => {
    const p = profileOf({ syscalls: [statsOf('read', 0, [10, 20], { errors: 1 }), statsOf('write', 1, [30]), statsOf('open', 2, [])] });
    expect(totals(p)).toEqual({ calls: 3, errors: 1, totalNs: 60, distinctSyscalls: 2, callsPerSecond: 1.5 });
  });

  it('handles zero calls and zero duration', () => {
    expect(totals(profileOf({ durationNs: 0 }))).toEqual({ calls: 0, errors: 0, totalNs: 0, distinctSyscalls: 0, callsPerSecond: null });
  });
});

describe('topRows', () => {
  it.each([
    [null, ['a', 'b', 'c'], 0],
    [2, ['a', 'b'], 1],
    [5, ['a', 'b', 'c'], 0],
    [0, [], 3],
  ])('top %s', (n, rows, omitted) => {
    expect(topRows(['a', 'b', 'c'], n)).toEqual({ rows, omitted });
  });

  it('handles no rows', () => {
    expect(topRows([], 3)).toEqual({ rows: [], omitted: 0 });
  });
});

describe('processRows', () => {
  it('sums per process and sorts by total time', () => {
    const rows = processRows([
      { tgid: 1, comm: 'a', syscalls: [statsOf('read', 0, [5, 5])] },
      { tgid: 2, comm: 'b', syscalls: [statsOf('read', 0, [50]), statsOf('write', 1, [7], { errors: 1 })] },
      { tgid: 3, comm: 'c', syscalls: [] },
    ]);
    expect(rows).toEqual([
      { tgid: 2, comm: 'b', calls: 2, errors: 1, totalNs: 57 },
      { tgid: 1, comm: 'a', calls: 2, errors: 0, totalNs: 10 },
      { tgid: 3, comm: 'c', calls: 0, errors: 0, totalNs: 0 },
    ]);
  });
});
