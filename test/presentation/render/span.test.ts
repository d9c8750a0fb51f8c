import { describe, expect, it } from 'vitest';
import { bucketLabel, edgeParts, formatEdge, formatSpan } from '../../../src/presentation/render/span.js';

describe('span', () => {
  it.each<[number, string]>([
    [0, '0 ns'],
    [1, '1 ns'],
    [999, '999 ns'],
    [1_000, '1 µs'],
    [1_500, '1.5 µs'],
    [2_048, '2.05 µs'],
    [10_000, '10 µs'],
    [500_000, '500 µs'],
    [1_000_000, '1 ms'],
    [10_000_000, '10 ms'],
    [2_500_000_000, '2.5 s'],
  ])('formatEdge(%s) = %s', (ns, text) => {
    expect(formatEdge(ns)).toBe(text);
  });

  it.each<[number | null, number | null, string]>([
    [null, 10_000, '< 10 µs'],
    [10_000, 50_000, '10-50 µs'],
    [500_000, 1_000_000, '500 µs-1 ms'],
    [1_000_000, 10_000_000, '1-10 ms'],
    [10_000_000, null, '> 10 ms'],
    [null, null, 'all'],
  ])('bucketLabel(%s, %s) = %s', (low, high, text) => {
    expect(bucketLabel(low, high)).toBe(text);
  });

  it('splits a limit into number and unit', () => {
    expect(edgeParts(1_250_000)).toEqual(['1.25', 'ms']);
    expect(formatSpan(900, 1_100)).toBe('900 ns-1.1 µs');
  });
});
