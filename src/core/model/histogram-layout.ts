// Log-linear latency bucket layouts: how a nanosecond value maps to a bucket index.
//
// Index i < 2^subBits holds exactly the value i. Above that, each power of two
// [2^p, 2^(p+1)) with p >= subBits is split into 2^subBits equal linear
// sub-buckets, so a bucket is at most 2^-subBits of its lower bound wide. The
// last index also holds every larger value.

// A bucket layout: sub-bucket bits per power of two, and the number of buckets.
export interface HistogramLayout {
  readonly subBits: number;
  readonly buckets: number;
}

// The range of values one bucket holds: [lowNs, highNs), highNs is Infinity for the last bucket.
export interface BucketBounds {
  readonly lowNs: number;
  readonly highNs: number;
}

// The highest power of two with its own buckets in the layouts the BPF side uses.
export const MAX_POW = 43;

// Largest sub-bucket resolution we accept (256 sub-buckets per power of two).
const MAX_SUB_BITS = 8;

// A layout that covers values up to 2^(maxPow+1) with subBits resolution.
export function standardLayout(subBits: number, maxPow: number = MAX_POW): HistogramLayout {
  const sub = 2 ** subBits;
  return { subBits, buckets: sub + (maxPow - subBits + 1) * sub };
}

// Why a layout is unusable, or null when it is fine.
export function layoutProblem(layout: HistogramLayout): string | null {
  const { subBits, buckets } = layout;
  if (!Number.isInteger(subBits) || subBits < 0 || subBits > MAX_SUB_BITS) {
    return `sub_bits ${subBits} is outside 0..${MAX_SUB_BITS}`;
  }
  // at least one log-linear bucket, at most enough to cover every 53-bit value
  const max = standardLayout(subBits, 52).buckets;
  if (!Number.isInteger(buckets) || buckets <= 2 ** subBits || buckets > max) {
    return `${buckets} buckets is outside ${2 ** subBits + 1}..${max} for sub_bits ${subBits}`;
  }
  return null;
}

// Throws a RangeError unless the layout is usable.
export function assertLayout(layout: HistogramLayout): void {
  const problem = layoutProblem(layout);
  if (problem !== null) throw new RangeError(`bad histogram layout: ${problem}`);
}

// Whether two layouts are the same.
export function sameLayout(a: HistogramLayout, b: HistogramLayout): boolean {
  return a.subBits === b.subBits && a.buckets === b.buckets;
}

// The bucket index of a value in nanoseconds (negatives count as 0, fractions round down).
export function bucketIndex(layout: HistogramLayout, ns: number): number {
  const v = ns > 0 ? Math.floor(ns) : 0;
  const sub = 2 ** layout.subBits;
  if (v < sub) return v;
  const p = floorLog2(v);
  const width = 2 ** (p - layout.subBits);
  const index = sub + (p - layout.subBits) * sub + (Math.floor(v / width) % sub);
  return Math.min(index, layout.buckets - 1);
}

// The values a bucket index holds.
export function bucketBounds(layout: HistogramLayout, index: number): BucketBounds {
  if (!Number.isInteger(index) || index < 0 || index >= layout.buckets) {
    throw new RangeError(`bucket index ${index} is outside 0..${layout.buckets - 1}`);
  }
  const sub = 2 ** layout.subBits;
  const last = index === layout.buckets - 1;
  if (index < sub) return { lowNs: index, highNs: last ? Infinity : index + 1 };
  const p = layout.subBits + Math.floor((index - sub) / sub);
  const width = 2 ** (p - layout.subBits);
  const lowNs = 2 ** p + ((index - sub) % sub) * width;
  return { lowNs, highNs: last ? Infinity : lowNs + width };
}

// floor(log2(v)) for a positive integer, exact beyond 32 bits.
function floorLog2(v: number): number {
  let p = Math.floor(Math.log2(v));
  if (2 ** p > v) p -= 1;
  else if (2 ** (p + 1) <= v) p += 1;
  return p;
}
