import { describe, expect, it } from 'vitest';
import { formatBytes, formatCalls, formatCount, formatDuration, formatPercent, formatRate } from '../../../src/presentation/render/units.js';

describe('formatDuration', () => {
  it.each<[number | null, string]>([
    [null, '-'],
    [0, '0 ns'],
    [850, '850 ns'],
    [999.4, '999 ns'],
    [999.6, '1.0 µs'],
    [29_000, '29.0 µs'],
    [29_340, '29.3 µs'],
    [890_000, '890 µs'],
    [999_960, '1.0 ms'],
    [2_100_000, '2.1 ms'],
    [20_800_000, '20.8 ms'],
    [99_940_000, '99.9 ms'],
    [99_975_168, '100 ms'],
    [127_000_000, '127 ms'],
    [800_000_000, '800 ms'],
    [12_400_000_000, '12.4 s'],
    [142_100_000_000, '142 s'],
    [5_000_000_000_000, '5,000 s'],
  ])('%s ns -> %s', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
  });
});

describe('formatRate', () => {
  it.each<[number, string]>([
    [0, '0'],
    [0.46, '0.5'],
    [6, '6'],
    [9.96, '10'],
    [39.2, '39'],
    [271_534.4, '271,534'],
  ])('%s -> %s', (n, text) => {
    expect(formatRate(n)).toBe(text);
  });
});

describe('other units', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1_247_891, '1,247,891'],
    [-12345, '-12,345'],
  ])('formatCount(%s) = %s', (n, text) => {
    expect(formatCount(n)).toBe(text);
  });

  it('counts calls in words', () => {
    expect([formatCalls(0), formatCalls(1), formatCalls(2), formatCalls(1200)]).toEqual(['0 calls', '1 call', '2 calls', '1,200 calls']);
  });

  it('formats bytes and percentages', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(341.3333)).toBe('341 B');
    expect(formatBytes(0.4)).toBe('0 B');
    expect(formatBytes(1023.6)).toBe('1.0 KiB');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(4.2 * 1024 * 1024)).toBe('4.2 MiB');
    expect(formatPercent(0.125)).toBe('12.5%');
    expect(formatPercent(0.25)).toBe('25%');
  });
});
