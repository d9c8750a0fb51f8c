// Latency buckets for the histogram views: fixed edges (the default set or
// the user's) or powers of two, with each bucket's count and share.
import type { SyscallAggregate } from './aggregate.js';
import type { ValueRange } from './distribution.js';

// The default edges: < 10 µs, 10-50 µs, 50-100 µs, 100-500 µs, 500 µs-1 ms, 1-10 ms, > 10 ms.
export const DEFAULT_EDGES_NS: readonly number[] = [10_000, 50_000, 100_000, 500_000, 1_000_000, 10_000_000];

// Which buckets to use.
export type BucketSpec =
  | { readonly kind: 'default' }
  | { readonly kind: 'log2' }
  | { readonly kind: 'edges'; readonly edgesNs: readonly number[] };

// One bucket: calls with lowNs <= latency < highNs (null: unbounded on that side).
export interface LatencyBucket {
  readonly lowNs: number | null;
  readonly highNs: number | null;
  // whole calls, or a fraction when an estimated histogram bucket straddles an edge
  readonly count: number;
  // count / all calls; 0 when there are none
  readonly share: number;
}

// The buckets of one syscall.
export interface BucketTable {
  readonly buckets: readonly LatencyBucket[];
  readonly total: number;
  // true when counts were split across edges by interpolation (aggregate captures)
  readonly estimated: boolean;
}

// Throws a RangeError unless edges are positive integers, strictly increasing.
export function assertEdges(edges: readonly number[]): void {
  edges.forEach((e, i) => {
    if (!Number.isSafeInteger(e) || e <= 0) throw new RangeError(`bucket edge ${e} is not a positive integer of ns`);
    if (i > 0 && e <= edges[i - 1]!) throw new RangeError(`bucket edges are not strictly increasing at ${e}`);
  });
}

// The edges a spec uses for a syscall (log2: the powers of two spanning its calls).
export function edgesFor(spec: BucketSpec, s: SyscallAggregate): readonly number[] {
  switch (spec.kind) {
    case 'default':
      return DEFAULT_EDGES_NS;
    case 'edges':
      return spec.edgesNs;
    case 'log2':
      return log2Edges(s.minNs, s.maxNs);
  }
}

// Powers of two from the one holding min to the one above max, only the
// non-empty span: [2^a, 2^(a+1)), ..., [2^b, 2^(b+1)) with 2^a <= min and max < 2^(b+1).
export function log2Edges(minNs: number | null, maxNs: number | null): number[] {
  if (minNs === null || maxNs === null) return [];
  const lo = floorLog2(Math.max(1, minNs));
  const hi = floorLog2(Math.max(1, maxNs)) + 1;
  const out: number[] = [];
  for (let p = lo; p <= hi; p++) out.push(2 ** p);
  return out;
}

// The buckets of a syscall under a spec. Exact counts when the aggregation
// counted these edges (or the distribution's ranges never straddle them, as
// with powers of two); otherwise straddling ranges are split in proportion.
export function bucketTable(s: SyscallAggregate, spec: BucketSpec): BucketTable {
  const edges = edgesFor(spec, s);
  const total = s.count;
  const counted = s.edgeCounts !== null && sameEdges(s.edgeCounts.edgesNs, edges) ? s.edgeCounts.counts : null;
  const split = counted === null ? countBetween(s.distribution.ranges(), edges) : null;
  const counts = counted ?? split!.counts;
  let buckets: LatencyBucket[] = counts.map((count, k) => ({
    lowNs: k === 0 ? null : edges[k - 1]!,
    highNs: k === edges.length ? null : edges[k]!,
    count,
    share: total > 0 ? count / total : 0,
  }));
  // log2 buckets have no open ends (the first edge is at or below min, the last
  // above max), except "< 1 ns" for calls timed at 0
  if (spec.kind === 'log2') buckets = buckets.slice(s.minNs !== null && s.minNs < 1 ? 0 : 1, -1);
  return { buckets, total, estimated: split !== null && split.interpolated };
}

// Counts of ranges between edges; a range straddling an edge is split in
// proportion to the integers on each side.
export function countBetween(ranges: readonly ValueRange[], edges: readonly number[]): { counts: number[]; interpolated: boolean } {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let interpolated = false;
  for (const r of ranges) {
    const width = r.highNs - r.lowNs + 1;
    let k = 0;
    while (k < edges.length && r.lowNs >= edges[k]!) k++;
    let low = r.lowNs;
    while (k < edges.length && r.highNs >= edges[k]!) {
      counts[k]! += (r.count * (edges[k]! - low)) / width;
      interpolated = true;
      low = edges[k]!;
      k++;
    }
    counts[k]! += (r.count * (r.highNs - low + 1)) / width;
  }
  return { counts, interpolated };
}

function sameEdges(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((e, i) => e === b[i]);
}

// floor(log2(v)) for a positive integer, exact beyond 32 bits.
function floorLog2(v: number): number {
  let p = Math.floor(Math.log2(v));
  if (2 ** p > v) p -= 1;
  else if (2 ** (p + 1) <= v) p += 1;
  return p;
}
