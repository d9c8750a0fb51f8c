// The per-syscall summary table.
import type { SyscallRow } from '../../core/analysis/syscall-rows.js';
import type { Palette } from './color.js';
import { ESTIMATE_MARK } from './latency-cells.js';
import { textTable, type Column } from './text-table.js';
import { formatCount, formatDuration, formatPercent } from './units.js';

const COLUMNS: readonly Column[] = [
  { title: 'Syscall', align: 'left' },
  { title: 'Count', align: 'right' },
  { title: 'Errors', align: 'right' },
  { title: 'Total', align: 'right' },
  { title: 'Avg', align: 'right' },
  { title: 'p50', align: 'right' },
  { title: 'p99', align: 'right' },
  { title: 'Max', align: 'right' },
];

// What the table shows besides the rows.
export interface TableContext {
  // rows left out by --top
  readonly omitted: number;
  // worst relative error of p50/p99 (2^-subBits), null when unknown
  readonly percentileError: number | null;
  // 1 call in this many was timed (absent or 1: all)
  readonly samplePeriod?: number;
}

// Lines of the "Syscall Summary" section; says so when nothing was traced.
export function renderSyscallTable(rows: readonly SyscallRow[], ctx: TableContext, p: Palette): string[] {
  const lines = [p.strong('Syscall Summary:'), p.dim('─'.repeat(52))];
  if (rows.length === 0) return [...lines, 'No syscalls traced.'];
  // sampled rows: the times are estimates, marked; counts and errors are exact
  const est = (r: SyscallRow, ns: number | null): string => (r.timedCalls !== undefined && ns !== null ? ESTIMATE_MARK : '') + formatDuration(ns);
  const cells = rows.map((r) => [
    r.name,
    formatCount(r.count),
    r.errors > 0 ? { text: formatCount(r.errors), paint: p.bad } : '0',
    est(r, r.totalNs),
    est(r, r.avgNs),
    est(r, r.p50Ns),
    est(r, r.p99Ns),
    est(r, r.maxNs),
  ]);
  lines.push(...textTable(COLUMNS, cells, p.strong));
  if (ctx.omitted > 0) lines.push(p.dim(`... and ${formatCount(ctx.omitted)} more syscalls (see --top)`));
  const sampled = samplingNote(rows, ctx.samplePeriod ?? 1);
  if (sampled !== null) lines.push(p.dim(sampled));
  else if (ctx.percentileError !== null) {
    lines.push(p.dim(`p50/p99 are estimated from histograms, within ${formatPercent(ctx.percentileError)} of the true value.`));
  }
  return lines;
}

// The footnote of a sampled table; null when no row is sampled.
export function samplingNote(rows: readonly SyscallRow[], period: number): string | null {
  const sampled = rows.filter((r) => r.timedCalls !== undefined);
  if (sampled.length === 0 || period <= 1) return null;
  const timed = sampled.reduce((n, r) => n + (r.timedCalls ?? 0), 0);
  const calls = sampled.reduce((n, r) => n + r.count, 0);
  const worst = Math.max(0, ...sampled.map((r) => r.percentileError ?? 0));
  return (
    `${ESTIMATE_MARK} sampled: 1 call in ${formatCount(period)} timed (${formatCount(timed)} of ${formatCount(calls)}); counts and errors are exact. ` +
    `Total and Avg are timed time x ${formatCount(period)}, Max that of the timed calls; p50/p99 within ${formatPercent(worst)} ` +
    `(histogram buckets plus a 95% sampling band).`
  );
}
