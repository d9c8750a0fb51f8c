import { describe, expect, it } from 'vitest';
import type { LatencyRow } from '../../../src/core/analysis/latency-rows.js';
import { errorsCell, estimateNote, latencyCells } from '../../../src/presentation/render/latency-cells.js';

const row = (overrides: Partial<LatencyRow> = {}): LatencyRow => ({
  name: 'read',
  count: 10,
  errors: 0,
  errnos: [],
  totalNs: 10_000,
  avgNs: 1000,
  minNs: 500,
  p50Ns: 900,
  p90Ns: 1500,
  p95Ns: 1600,
  p99Ns: 2000,
  maxNs: 2100,
  estimated: false,
  percentileError: 1 / 2048,
  ...overrides,
});

describe('errorsCell', () => {
  it.each<[Partial<LatencyRow>, string]>([
    [{}, '0'],
    [{ errors: 3000, errnos: [{ errno: 'ENOENT', count: 3000 }] }, '3,000 ENOENT'],
    [{ errors: 3010, errnos: [{ errno: 'ENOENT', count: 3000 }, { errno: 'EACCES', count: 10 }] }, '3,000 ENOENT, 10 EACCES'],
    [
      { errors: 3016, errnos: [{ errno: 'ENOENT', count: 3000 }, { errno: 'EACCES', count: 10 }, { errno: 'EPERM', count: 4 }, { errno: 'EIO', count: 2 }] },
      '3,000 ENOENT, 10 EACCES, 6 other',
    ],
    [{ errors: 42 }, '42'],
  ])('%j -> %s', (overrides, text) => {
    expect(errorsCell(row(overrides))).toBe(text);
  });
});

describe('latencyCells', () => {
  it('formats every column', () => {
    expect(latencyCells(row())).toEqual(['read', '10', '0', '10.0 µs', '1.0 µs', '900 ns', '1.5 µs', '1.6 µs', '2.0 µs', '2.1 µs']);
  });

  it('marks estimated percentiles only', () => {
    expect(latencyCells(row({ estimated: true })).slice(4)).toEqual(['1.0 µs', '~900 ns', '~1.5 µs', '~1.6 µs', '~2.0 µs', '2.1 µs']);
  });

  it('shows "-" for missing latencies', () => {
    expect(latencyCells(row({ count: 0, avgNs: null, p50Ns: null, p90Ns: null, p95Ns: null, p99Ns: null, maxNs: null })).slice(4)).toEqual(['-', '-', '-', '-', '-', '-']);
  });
});

describe('estimateNote', () => {
  it.each<[LatencyRow[], string | null]>([
    [[], null],
    [[row()], null],
    [[row(), row({ estimated: true, percentileError: 0.125 }), row({ estimated: true, percentileError: 0.25 })], '~ estimated from in-kernel histograms (no per-call events), within 25% of the true value'],
  ])('%#', (rows, note) => {
    expect(estimateNote(rows)).toBe(note);
  });
});

describe('sampled rows (--sample)', () => {
  const sampled = row({ count: 1600, errors: 2, timedCalls: 100, estimated: true, percentileError: 0.31 });

  it('mark every time "~", never the count or the errors', () => {
    const cells = latencyCells(sampled);
    expect(cells.slice(0, 3)).toEqual(['read', '1,600', '2']);
    for (const c of cells.slice(3)) expect(c.startsWith('~')).toBe(true);
    // unsampled: only the estimated percentiles
    expect(latencyCells(row({ estimated: true }))[3]).not.toContain('~');
  });

  it('get a footnote with the timed calls and the bound with the sampling band', () => {
    const note = estimateNote([sampled, row({ name: 'write', count: 16, timedCalls: 0, estimated: false, percentileError: 0 })])!;
    expect(note).toContain('sampled: 100 of 1,616 calls timed (counts and errors are exact)');
    expect(note).toContain('within 31%');
    expect(note).toContain('95% sampling band');
  });
});
