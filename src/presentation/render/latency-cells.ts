// The cells of a latency row, shared by the text table and the Markdown report.
import type { LatencyRow } from '../../core/analysis/latency-rows.js';
import { formatCount, formatDuration, formatPercent } from './units.js';

// Column titles, in cell order; the first is left-aligned, the rest right-aligned.
export const LATENCY_TITLES = ['Syscall', 'Count', 'Errors', 'Total', 'Avg', 'p50', 'p90', 'p95', 'p99', 'Max'] as const;

// Marks an estimated percentile.
export const ESTIMATE_MARK = '~';

// "0", "3,000 ENOENT", "3,010 ENOENT, 10 EACCES", "3,020 ENOENT, 10 EACCES, 10 other";
// the bare count when the capture has no errno breakdown.
export function errorsCell(row: LatencyRow): string {
  if (row.errors === 0) return '0';
  if (row.errnos.length === 0) return formatCount(row.errors);
  const shown = row.errnos.slice(0, 2);
  const rest = row.errors - shown.reduce((n, e) => n + e.count, 0);
  const parts = shown.map((e) => `${formatCount(e.count)} ${e.errno}`);
  if (rest > 0) parts.push(`${formatCount(rest)} other`);
  return parts.join(', ');
}

// Every cell of a row, estimated percentiles marked with "~" (and, when sampled, every time).
export function latencyCells(row: LatencyRow): string[] {
  const pct = (ns: number | null): string => (ns !== null && row.estimated ? ESTIMATE_MARK : '') + formatDuration(ns);
  const sampled = row.timedCalls !== undefined;
  const time = (ns: number | null): string => (sampled && ns !== null ? ESTIMATE_MARK : '') + formatDuration(ns);
  return [
    row.name,
    formatCount(row.count),
    errorsCell(row),
    time(row.totalNs),
    time(row.avgNs),
    pct(row.p50Ns),
    pct(row.p90Ns),
    pct(row.p95Ns),
    pct(row.p99Ns),
    time(row.maxNs),
  ];
}

// The footnote under a table with estimated percentiles; null when every row is exact.
export function estimateNote(rows: readonly LatencyRow[]): string | null {
  const worst = Math.max(0, ...rows.filter((r) => r.estimated).map((r) => r.percentileError));
  const sampled = rows.filter((r) => r.timedCalls !== undefined);
  if (sampled.length > 0) {
    const timed = sampled.reduce((n, r) => n + (r.timedCalls ?? 0), 0);
    const calls = sampled.reduce((n, r) => n + r.count, 0);
    return (
      `${ESTIMATE_MARK} sampled: ${formatCount(timed)} of ${formatCount(calls)} calls timed (counts and errors are exact); ` +
      `times are estimates, percentiles within ${formatPercent(worst)} of the true value (histogram buckets plus a 95% sampling band)`
    );
  }
  return worst === 0
    ? null
    : `${ESTIMATE_MARK} estimated from in-kernel histograms (no per-call events), within ${formatPercent(worst)} of the true value`;
}
