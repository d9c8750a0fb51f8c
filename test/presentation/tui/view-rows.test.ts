import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../src/core/model/histogram.js';
import { standardLayout } from '../../../src/core/model/histogram-layout.js';
import { liveRow, type LiveRow } from '../../../src/presentation/tui/model/live-row.js';
import { filterRows, rowComparator, topRows, visibleRows, type SortColumn } from '../../../src/presentation/tui/model/view-rows.js';
import { sparkline } from '../../../src/presentation/tui/model/sparkline.js';
import { rowTone } from '../../../src/presentation/tui/model/table-layout.js';
import { RateHistory } from '../../../src/presentation/tui/model/history.js';
import { seededRandom } from '../../helpers/random.js';

function row(label: string, calls: number, errors: number, latencyNs: number): LiveRow {
  const h = new LatencyHistogram(standardLayout(3));
  h.addValue(latencyNs, calls);
  return liveRow({ key: label, label, syscall: label, calls, errors, totalNs: calls * latencyNs }, 1e9, 1e9, () => ({ histogram: h, maxNs: latencyNs }));
}

const rows = [row('read', 100, 0, 1000), row('fsync', 5, 1, 2_000_000), row('write', 50, 20, 4000)];

describe('sorting', () => {
  it.each<[SortColumn, string[]]>([
    ['name', ['fsync', 'read', 'write']],
    ['calls', ['read', 'write', 'fsync']],
    ['errors', ['write', 'fsync', 'read']],
    ['avg', ['fsync', 'write', 'read']],
    ['p50', ['fsync', 'write', 'read']],
    ['p99', ['fsync', 'write', 'read']],
    ['max', ['fsync', 'write', 'read']],
    ['share', ['fsync', 'write', 'read']],
  ])('by %s', (column, order) => {
    expect([...rows].sort(rowComparator(column)).map((r) => r.label)).toEqual(order);
  });
});

describe('topRows', () => {
  it('picks the same rows as a full sort, for small and large inputs', () => {
    const next = seededRandom(7);
    const many = Array.from({ length: 5000 }, (_, i) => row(`p${i}`, 1 + Math.floor(next() * 1000), 0, 1 + Math.floor(next() * 1e6)));
    const cmp = rowComparator('share');
    for (const n of [1, 10, 25, 5000]) expect(topRows(many, n, cmp).map((r) => r.key)).toEqual([...many].sort(cmp).slice(0, n).map((r) => r.key));
    expect(topRows(many, 0, cmp)).toEqual([]);
  });
});

describe('filter', () => {
  it.each([
    ['', 3],
    ['RE', 1],
    ['r', 2],
    ['zzz', 0],
  ])('"%s" matches %i rows', (filter, n) => {
    expect(filterRows(rows, filter)).toHaveLength(n);
    expect(visibleRows(rows, { filter, sort: 'calls', limit: 2 }).matching).toBe(n);
  });
});

describe('sparkline and history', () => {
  it('scales to the maximum and leaves zeros blank', () => {
    expect(sparkline([0, 1, 2, 4, 8], 5)).toBe(' ▂▃▅█');
    expect(sparkline([5], 3)).toBe('  █');
    expect(sparkline([], 4)).toBe('    ');
  });

  it('keeps the last 30 rates per key and forgets a key idle for a whole window', () => {
    const h = new RateHistory(3);
    h.push([['a', 1], ['b', 2]]);
    h.push([['a', 3]]);
    expect(h.of('b')).toEqual([2, 0]);
    h.push([['a', 4]]);
    h.push([['a', 5]]);
    expect(h.of('a')).toEqual([3, 4, 5]);
    expect(h.of('b')).toEqual([]);
    expect(h.size).toBe(1);
  });
});

describe('rowTone', () => {
  it.each<[string, Partial<LiveRow>, string]>([
    ['a working row', {}, 'plain'],
    ['a row whose calls mostly fail', { errors: 60 }, 'warn'],
    ['a waiting row', { waiting: true, errors: 60 }, 'dim'],
    ['an exited process', { gone: true }, 'dim'],
  ])('%s is %s', (_name, over, tone) => {
    expect(rowTone({ ...row('r', 100, 0, 1000), ...over })).toBe(tone);
  });
});
