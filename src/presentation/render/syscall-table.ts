// The per-syscall summary table.
import type { SyscallRow } from '../../core/analysis/syscall-rows.js';
import type { Palette } from './color.js';
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
}

// Lines of the "Syscall Summary" section; says so when nothing was traced.
export function renderSyscallTable(rows: readonly SyscallRow[], ctx: TableContext, p: Palette): string[] {
  const lines = [p.strong('Syscall Summary:'), p.dim('─'.repeat(52))];
  if (rows.length === 0) return [...lines, 'No syscalls traced.'];
  const cells = rows.map((r) => [
    r.name,
    formatCount(r.count),
    r.errors > 0 ? { text: formatCount(r.errors), paint: p.bad } : '0',
    formatDuration(r.totalNs),
    formatDuration(r.avgNs),
    formatDuration(r.p50Ns),
    formatDuration(r.p99Ns),
    formatDuration(r.maxNs),
  ]);
  lines.push(...textTable(COLUMNS, cells, p.strong));
  if (ctx.omitted > 0) lines.push(p.dim(`... and ${formatCount(ctx.omitted)} more syscalls (see --top)`));
  if (ctx.percentileError !== null) {
    lines.push(p.dim(`p50/p99 are estimated from histograms, within ${formatPercent(ctx.percentileError)} of the true value.`));
  }
  return lines;
}
