import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertLayout, bucketBounds, bucketIndex, layoutProblem, MAX_POW, standardLayout } from '../../../src/core/model/histogram-layout.js';
import { seededRandom } from '../../helpers/random.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

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

// random integers spread over every magnitude up to 2^53
function randomValues(n: number): number[] {
  const random = seededRandom(11);
  return Array.from({ length: n }, () => Math.floor(2 ** (random() * 53)));
}

// The BPF side's layout constants and buckets, from bpf/histogram.h compiled on the host.
interface HostHistogram {
  readonly constants: ReadonlyMap<string, number>;
  // value -> [fine, coarse]
  readonly buckets: ReadonlyMap<string, readonly [number, number]>;
}

let dir = '';
let host: HostHistogram;
// values past 2^53 only the C side can hold: they clamp to the last bucket
const HUGE = ['9007199254740993', '1152921504606846976', '18446744073709551615'];
const VALUES = [...new Set([...boundaryValues(), ...randomValues(20_000)])];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'histogram-host-'));
  const exe = join(dir, 'histogram-host');
  const cc = process.env.CC ?? 'cc';
  execFileSync(cc, ['-O2', '-Wall', '-Wextra', '-Werror', '-I', join(root, 'bpf'), join(root, 'test/helpers/histogram-host.c'), '-o', exe]);
  const out = execFileSync(exe, { input: [...VALUES.map(String), ...HUGE].join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 26 });
  const constants = new Map<string, number>();
  const buckets = new Map<string, readonly [number, number]>();
  for (const line of out.trim().split('\n')) {
    const [a, b, c] = line.split(' ');
    if (c === undefined) constants.set(a!, Number(b));
    else buckets.set(a!, [Number(b), Number(c)]);
  }
  host = { constants, buckets };
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('the layout against bpf/histogram.h compiled on the host', () => {
  it('has the same constants as bpf/syscall_prof.h', () => {
    expect(host.constants.get('MAX_POW')).toBe(MAX_POW);
    expect(host.constants.get('FINE_SUB_BITS')).toBe(FINE.subBits);
    expect(host.constants.get('FINE_BUCKETS')).toBe(FINE.buckets);
    expect(host.constants.get('COARSE_SUB_BITS')).toBe(COARSE.subBits);
    expect(host.constants.get('COARSE_BUCKETS')).toBe(COARSE.buckets);
  });

  it.each([
    ['fine', FINE, 0],
    ['coarse', COARSE, 1],
  ] as const)('puts every value in the same %s bucket as the BPF code', (_name, layout, column) => {
    expect(host.buckets.size).toBe(VALUES.length + HUGE.length);
    for (const v of VALUES) expect(bucketIndex(layout, v), `value ${v}`).toBe(host.buckets.get(String(v))![column]);
    for (const v of HUGE) expect(host.buckets.get(v)![column], `value ${v}`).toBe(layout.buckets - 1);
  });
});

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
