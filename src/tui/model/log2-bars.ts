// A latency histogram regrouped into powers of two, as bar lines.
import type { LatencyHistogram } from '../../model/histogram.js';
import { bucketBounds } from '../../model/histogram-layout.js';
import { bar, percentText } from '../../render/histogram-bars.js';
import { bucketLabel } from '../../render/span.js';

// One power-of-two bucket: [lowNs, 2 * lowNs) and its calls.
export interface Log2Bucket {
  readonly lowNs: number;
  readonly highNs: number;
  readonly count: number;
}

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

// "label  ████▌  12.5%" lines fitting `width`; [] for an empty histogram.
export function log2BarLines(h: LatencyHistogram, width: number): string[] {
  const buckets = log2Buckets(h);
  const total = buckets.reduce((n, b) => n + b.count, 0);
  if (total === 0) return [];
  const labels = buckets.map((b) => (b.lowNs === 1 ? bucketLabel(null, 2) : bucketLabel(b.lowNs, b.highNs)));
  const percents = buckets.map((b) => percentText(b.count, b.count / total));
  const counts = buckets.map((b) => String(b.count));
  const lw = Math.max(...labels.map((l) => l.length));
  const pw = Math.max(...percents.map((t) => t.length));
  const cw = Math.max(...counts.map((t) => t.length));
  const barWidth = Math.max(5, width - lw - pw - cw - 6);
  const maxCount = Math.max(...buckets.map((b) => b.count));
  return buckets.map(
    (b, i) => `${labels[i]!.padStart(lw)}  ${bar(b.count, maxCount, barWidth).padEnd(barWidth)}  ${counts[i]!.padStart(cw)}  ${percents[i]!.padStart(pw)}`,
  );
}
