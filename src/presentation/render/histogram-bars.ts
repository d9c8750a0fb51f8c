// Horizontal bar lines of a bucket table: label, bar scaled to the widest, percent.
import type { BucketTable } from '../../core/analysis/buckets.js';
import { bucketLabel } from './span.js';

// Eighth blocks for the fractional end of a bar.
const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const FULL = '█';

// Narrowest bar area, whatever the width.
export const MIN_BAR = 10;

// The bar of a share relative to the largest; a non-empty bucket shows at least a sliver.
export function bar(share: number, maxShare: number, width: number): string {
  if (share <= 0 || maxShare <= 0) return '';
  const eighths = Math.max(1, Math.round((share / maxShare) * width * 8));
  return FULL.repeat(Math.floor(eighths / 8)) + PARTIAL[eighths % 8]!;
}

// One line per bucket, fitting `width` columns; [] when the table is empty.
export function histogramBars(table: BucketTable, width: number): string[] {
  if (table.total === 0 || table.buckets.length === 0) return [];
  const labels = table.buckets.map((b) => bucketLabel(b.lowNs, b.highNs));
  const percents = table.buckets.map((b) => percentText(b.count, b.share));
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const percentWidth = Math.max(...percents.map((t) => t.length));
  const barWidth = Math.max(MIN_BAR, width - labelWidth - percentWidth - 4);
  const maxShare = Math.max(...table.buckets.map((b) => b.share));
  return table.buckets.map((b, i) =>
    `${labels[i]!.padStart(labelWidth)}  ${bar(b.share, maxShare, barWidth).padEnd(barWidth)}  ${percents[i]!.padStart(percentWidth)}`,
  );
}

// "34.2%"; "<0.1%" for a bucket with calls that rounds to nothing.
export function percentText(count: number, share: number): string {
  return count > 0 && share < 0.0005 ? '<0.1%' : `${(share * 100).toFixed(1)}%`;
}
