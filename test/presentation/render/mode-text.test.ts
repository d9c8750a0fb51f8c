import { describe, expect, it } from 'vitest';
import type { Mode } from '../../../src/core/analysis/modes.js';
import { describeMode, describeModes, niceCeil, niceFloor } from '../../../src/presentation/render/mode-text.js';

const mode = (share: number, lowNs: number, highNs: number): Mode => ({ count: 1, share, lowNs, highNs, peakNs: lowNs });

describe('nice limits', () => {
  it.each<[number, number, number]>([
    [0.5, 1, 1],
    [1, 1, 1],
    [7, 5, 10],
    [10, 10, 10],
    [11, 10, 20],
    [38_000, 20_000, 50_000],
    [64_000, 50_000, 100_000],
    [1_234_000, 1_000_000, 2_000_000],
    [9_900_000, 5_000_000, 10_000_000],
    // within 0.5% of a nice value: that value
    [9_999_999, 10_000_000, 10_000_000],
    [4_997_120, 5_000_000, 5_000_000],
    [20_015, 20_000, 20_000],
  ])('%s: floor %s, ceil %s', (ns, floor, ceil) => {
    expect(niceFloor(ns)).toBe(floor);
    expect(niceCeil(ns)).toBe(ceil);
  });
});

describe('describeModes', () => {
  it.each<[Mode[], string]>([
    [[mode(0.95, 3_000, 64_000), mode(0.05, 1_200_000, 8_000_000)], '95% under 100 µs, 5% at 1-10 ms'],
    [[mode(0.6, 1_000, 3_000), mode(0.3, 150_000, 300_000), mode(0.1, 12_000_000, 40_000_000)], '60% under 5 µs, 30% at 100-500 µs, 10% at 10-50 ms'],
    // an upper limit exactly on a nice value is not "under" it
    [[mode(0.5, 10, 100), mode(0.5, 1_000_000, 1_000_000)], '50% under 200 ns, 50% at 1 ms'],
    [[], ''],
  ])('%j', (modes, text) => {
    expect(describeModes(modes)).toBe(text);
  });

  it.each<[Mode, boolean, string]>([
    [mode(0.048, 1_500, 4_000), false, '4.8% at 1-5 µs'],
    [mode(0.1, 4_997_120, 5_000_000), false, '10% at 5 ms'],
    [mode(0.9, 20_000, 20_015), true, '90% under 50 µs'],
  ])('describes %j (first: %s)', (m, first, text) => {
    expect(describeMode(m, first)).toBe(text);
  });
});
