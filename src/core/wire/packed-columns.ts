// Packed repeated fields of varints read straight into typed arrays: a
// column's values may come in several runs (segments), read in order with
// one loop per kind of column and no callback per value.
import { check, hi, LEN, lo, readVarint, unsigned, zigzag } from './wire-varint.js';

// Number of varints in buf[from, to): bytes without the continuation bit.
export function countVarints(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i]! < 0x80) n += 1;
  // a run ending in a continuation byte is a truncated varint
  if (to > from && buf[to - 1]! >= 0x80) throw new Error(`packed field ends inside a varint (byte ${to})`);
  return n;
}

// uint64 values as 32-bit halves (exact without BigInt).
export function readHalves(buf: Uint8Array, segments: readonly number[], los: Uint32Array, his: Uint32Array): void {
  let i = 0;
  for (let s = 0; s < segments.length; s += 2) {
    const to = segments[s + 1]!;
    for (let p = segments[s]!; p < to; i++) {
      p = readVarint(buf, p, to);
      los[i] = lo;
      his[i] = hi;
    }
  }
}

// uint32 values.
export function readU32(buf: Uint8Array, segments: readonly number[], out: Uint32Array): void {
  let i = 0;
  for (let s = 0; s < segments.length; s += 2) {
    const to = segments[s + 1]!;
    for (let p = segments[s]!; p < to; i++) {
      p = readVarint(buf, p, to);
      out[i] = lo;
    }
  }
}

// uint64 values as numbers (exact below 2^53).
export function readUnsigned(buf: Uint8Array, segments: readonly number[], out: Float64Array): void {
  let i = 0;
  for (let s = 0; s < segments.length; s += 2) {
    const to = segments[s + 1]!;
    for (let p = segments[s]!; p < to; i++) {
      p = readVarint(buf, p, to);
      out[i] = unsigned();
    }
  }
}

// sint32/sint64 values as numbers.
export function readZigzag(buf: Uint8Array, segments: readonly number[], out: Float64Array): void {
  let i = 0;
  for (let s = 0; s < segments.length; s += 2) {
    const to = segments[s + 1]!;
    for (let p = segments[s]!; p < to; i++) {
      p = readVarint(buf, p, to);
      out[i] = zigzag();
    }
  }
}

// One column field's values at p (after its tag, wire type wt): adds their
// extent to `segments` and returns [the end, how many values].
export function columnRun(buf: Uint8Array, p: number, end: number, wt: number, segments: number[]): [number, number] {
  let from = p;
  let to: number;
  if (wt === LEN) {
    p = readVarint(buf, p, end);
    from = p;
    to = check(p + (lo >>> 0), end);
  } else {
    to = readVarint(buf, p, end);
  }
  segments.push(from, to);
  return [to, countVarints(buf, from, to)];
}
