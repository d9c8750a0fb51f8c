// A latency histogram regrouped into powers of two, as bar lines that fit a
// panel: runs of empty buckets become one line, and when the span is still
// too tall, neighbouring buckets are merged (powers of 4, 16, ...).
import type { LatencyHistogram } from '../../../core/model/histogram.js';
import { bucketBounds } from '../../../core/model/histogram-layout.js';
import { bar, percentText } from '../../render/histogram-bars.js';
import { bucketLabel } from '../../render/span.js';

// One power-of-two bucket (or a merge of several): [lowNs, highNs) and its calls.
export interface Log2Bucket {
  readonly lowNs: number;
  readonly highNs: number;
  readonly count: number;
}

// Empty buckets in a row that are shown as one line instead.
const MIN_GAP = 2;

// The non-empty span of power-of-two buckets, lowest first (empty ones inside kept).
export function log2Buckets(h: LatencyHistogram): Log2Bucket[] {
  const counts = new Map<number, number>();
  for (const [index, count] of h.buckets()) {
    const { lowNs } = bucketBounds(h.layout, index);
    const p = lowNs < 1 ? 0 : Math.floor(Math.log2(lowNs));
    counts.set(p, (counts.get(p) ?? 0) + count);
  }
  if (counts.size === 0) return [];
  const ps = [...counts.keys()];
  const out: Log2Bucket[] = [];
  for (let p = Math.min(...ps); p <= Math.max(...ps); p++) out.push({ lowNs: 2 ** p, highNs: 2 ** (p + 1), count: counts.get(p) ?? 0 });
  return out;
}

// Neighbours merged pairwise: half as many buckets, each twice as wide (in powers of two).
export function mergePairs(buckets: readonly Log2Bucket[]): Log2Bucket[] {
  const out: Log2Bucket[] = [];
  for (let i = 0; i < buckets.length; i += 2) {
    const a = buckets[i]!;
    const b = buckets[i + 1];
    out.push(b === undefined ? a : { lowNs: a.lowNs, highNs: b.highNs, count: a.count + b.count });
  }
  return out;
}

// A line of the chart: a bucket, or a run of empty buckets.
type Row = { readonly kind: 'bucket'; readonly bucket: Log2Bucket } | { readonly kind: 'gap'; readonly lowNs: number; readonly highNs: number };

function rowsOf(buckets: readonly Log2Bucket[]): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < buckets.length; ) {
    let j = i;
    while (j < buckets.length && buckets[j]!.count === 0) j++;
    if (j - i >= MIN_GAP) {
      rows.push({ kind: 'gap', lowNs: buckets[i]!.lowNs, highNs: buckets[j - 1]!.highNs });
      i = j;
    } else {
      rows.push({ kind: 'bucket', bucket: buckets[i]! });
      i += 1;
    }
  }
  return rows;
}

// "label  ████▌  count  12.5%" lines fitting `width` columns and at most
// `maxLines` lines (when merging can get there); [] for an empty histogram.
export function log2BarLines(h: LatencyHistogram, width: number, maxLines = Infinity): string[] {
  let buckets = log2Buckets(h);
  const total = buckets.reduce((n, b) => n + b.count, 0);
  if (total === 0) return [];
  let rows = rowsOf(buckets);
  while (rows.length > Math.max(1, maxLines) && buckets.length > 1) {
    buckets = mergePairs(buckets);
    rows = rowsOf(buckets);
  }
  const label = (lowNs: number, highNs: number): string => (lowNs === 1 ? bucketLabel(null, highNs) : bucketLabel(lowNs, highNs));
  const cells = rows.map((r) =>
    r.kind === 'gap'
      ? { label: '⋮', count: '', percent: '', gap: `no calls in ${label(r.lowNs, r.highNs)}` }
      : { label: label(r.bucket.lowNs, r.bucket.highNs), count: String(r.bucket.count), percent: percentText(r.bucket.count, r.bucket.count / total), gap: null },
  );
  const lw = Math.max(...cells.map((c) => c.label.length));
  const pw = Math.max(...cells.map((c) => c.percent.length));
  const cw = Math.max(...cells.map((c) => c.count.length));
  const barWidth = Math.max(5, width - lw - pw - cw - 6);
  const maxCount = Math.max(...buckets.map((b) => b.count));
  return rows.map((r, i) => {
    const c = cells[i]!;
    if (r.kind === 'gap') return `${c.label.padStart(lw)}  ${c.gap}`;
    return `${c.label.padStart(lw)}  ${bar(r.bucket.count, maxCount, barWidth).padEnd(barWidth)}  ${c.count.padStart(cw)}  ${c.percent.padStart(pw)}`;
  });
}
