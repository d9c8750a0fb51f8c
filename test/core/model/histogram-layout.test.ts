import { describe, expect, it } from 'vitest';
import { assertLayout, bucketBounds, bucketIndex, layoutProblem, standardLayout } from '../../../src/core/model/histogram-layout.js';

// the formula from bpf/syscall_prof.h, spelled out with BigInt
function referenceIndex(subBits: number, buckets: number, value: bigint): number {
  const sub = 1n << BigInt(subBits);
  if (value < sub) return Number(value);
  let p = 0;
  while (1n << BigInt(p + 1) <= value) p += 1;
  const shift = BigInt(p - subBits);
  const index = sub + BigInt(p - subBits) * sub + ((value >> shift) & (sub - 1n));
  return Math.min(Number(index), buckets - 1);
}

const FINE = standardLayout(3);
const COARSE = standardLayout(2);

// values around every power of two, where off-by-ones live
function boundaryValues(): number[] {
  const values = new Set<number>();
  for (let v = 0; v <= 40; v++) values.add(v);
  for (let p = 0; p <= 52; p++) {
    for (const d of [-2, -1, 0, 1, 2]) if (2 ** p + d >= 0) values.add(2 ** p + d);
    values.add(2 ** p + 2 ** Math.max(0, p - 1));
  }
  return [...values];
}

describe('standardLayout', () => {
  it('matches the BPF side: fine 336 buckets, coarse 172', () => {
    expect(FINE).toEqual({ subBits: 3, buckets: 336 });
    expect(COARSE).toEqual({ subBits: 2, buckets: 172 });
  });
});

describe.each([
  ['fine', FINE],
  ['coarse', COARSE],
])('bucketIndex, %s layout', (_name, layout) => {
  it('agrees with the reference formula at every power-of-two boundary', () => {
    for (const v of boundaryValues()) {
      expect(bucketIndex(layout, v), `value ${v}`).toBe(referenceIndex(layout.subBits, layout.buckets, BigInt(v)));
    }
  });

  it('holds small values exactly', () => {
    for (let v = 0; v < 2 ** layout.subBits; v++) expect(bucketIndex(layout, v)).toBe(v);
  });

  it('clamps huge values to the last bucket, and negatives to 0', () => {
    expect(bucketIndex(layout, 2 ** 44)).toBe(layout.buckets - 1);
    expect(bucketIndex(layout, 2 ** 44 - 1)).toBe(layout.buckets - 1);
    expect(bucketIndex(layout, 2 ** 43 - 1)).toBeLessThan(layout.buckets - 1);
    expect(bucketIndex(layout, Number.MAX_SAFE_INTEGER)).toBe(layout.buckets - 1);
    expect(bucketIndex(layout, -5)).toBe(0);
  });
});

describe.each([
  ['fine', FINE],
  ['coarse', COARSE],
])('bucketBounds, %s layout', (_name, layout) => {
  it('are contiguous, start at 0 and end at Infinity', () => {
    expect(bucketBounds(layout, 0).lowNs).toBe(0);
    for (let i = 0; i + 1 < layout.buckets; i++) {
      expect(bucketBounds(layout, i).highNs, `index ${i}`).toBe(bucketBounds(layout, i + 1).lowNs);
    }
    expect(bucketBounds(layout, layout.buckets - 1).highNs).toBe(Infinity);
  });

  it('contain exactly the values bucketIndex puts in them', () => {
    for (let i = 0; i + 1 < layout.buckets; i++) {
      const { lowNs, highNs } = bucketBounds(layout, i);
      expect(bucketIndex(layout, lowNs)).toBe(i);
      expect(bucketIndex(layout, highNs - 1)).toBe(i);
      expect(bucketIndex(layout, highNs)).toBe(i + 1);
    }
  });

  it('are at most 2^-subBits of their lower bound wide', () => {
    for (let i = 2 ** layout.subBits; i + 1 < layout.buckets; i++) {
      const { lowNs, highNs } = bucketBounds(layout, i);
      expect((highNs - lowNs) / lowNs).toBeLessThanOrEqual(2 ** -layout.subBits);
    }
  });

  it('reject indexes outside the layout', () => {
    expect(() => bucketBounds(layout, layout.buckets)).toThrow(RangeError);
    expect(() => bucketBounds(layout, -1)).toThrow(RangeError);
  });
});

describe('layout checks', () => {
  it.each([
    [{ subBits: 3, buckets: 336 }, null],
    [{ subBits: 9, buckets: 1000 }, /sub_bits 9/],
    [{ subBits: 3, buckets: 8 }, /8 buckets/],
    [{ subBits: 3, buckets: 100_000 }, /100000 buckets/],
    [{ subBits: 2.5, buckets: 100 }, /sub_bits/],
  ])('%o -> %s', (layout, expected) => {
    const problem = layoutProblem(layout);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });

  it('assertLayout throws on a bad layout', () => {
    expect(() => assertLayout({ subBits: 3, buckets: 0 })).toThrow(/bad histogram layout/);
  });
});
