// The text output of `histogram`: one syscall's latency distribution as bars,
// its modes when there are several, and its percentiles.
import type { BucketTable } from '../../core/analysis/buckets.js';
import type { LatencyRow } from '../../core/analysis/latency-rows.js';
import type { ModeAnalysis } from '../../core/analysis/modes.js';
import type { Palette } from './color.js';
import { histogramBars } from './histogram-bars.js';
import { ESTIMATE_MARK } from './latency-cells.js';
import { describeModes } from './mode-text.js';
import { formatCalls, formatDuration, formatPercent } from './units.js';

// What to render.
export interface HistogramView {
  readonly syscall: string;
  readonly table: BucketTable;
  readonly modes: ModeAnalysis;
  // the syscall's statistics; null when it has no calls
  readonly row: LatencyRow | null;
  // terminal columns to fit
  readonly width: number;
  // each mode in words with what it probably is ("95% under 100 µs (cache)");
  // absent: the modes are described without labels
  readonly modeWords?: readonly string[];
}

// "Bimodal", "Trimodal", "Multimodal (4 modes)".
export function modalName(count: number): string {
  return count === 2 ? 'Bimodal' : count === 3 ? 'Trimodal' : `Multimodal (${count} modes)`;
}

// The chart's lines without a trailing newline (the report embeds them).
export function histogramLines(view: HistogramView, p: Palette): string[] {
  const { table, row } = view;
  const lines = [p.strong(`Latency Distribution (${view.syscall}): ${formatCalls(table.total)}`), p.dim('─'.repeat(Math.min(52, view.width)))];
  if (table.total === 0) return [...lines, 'No calls.'];
  lines.push(...histogramBars(table, view.width));
  if (view.modes.multimodal) {
    const words = view.modeWords !== undefined && view.modeWords.length === view.modes.modes.length ? view.modeWords.join(', ') : describeModes(view.modes.modes);
    lines.push('', p.warn(`${modalName(view.modes.modes.length)}: ${words}`));
  }
  if (row !== null) {
    const mark = row.estimated ? ESTIMATE_MARK : '';
    const pct = (label: string, ns: number | null): string => `${label} ${mark}${formatDuration(ns)}`;
    lines.push(
      '',
      [`min ${row.estimated ? ESTIMATE_MARK : ''}${formatDuration(row.minNs)}`, pct('p50', row.p50Ns), pct('p90', row.p90Ns), pct('p95', row.p95Ns), pct('p99', row.p99Ns), `max ${formatDuration(row.maxNs)}`].join('  '),
    );
    if (row.estimated) lines.push(p.dim(`${ESTIMATE_MARK} estimated from in-kernel histograms, within ${formatPercent(row.percentileError)} of the true value`));
  }
  if (table.estimated) lines.push(p.dim('Bucket counts split in proportion where a histogram bucket straddles an edge.'));
  return lines;
}

// The whole output, ending with a newline.
export function renderHistogram(view: HistogramView, p: Palette): string {
  return `${histogramLines(view, p).join('\n')}\n`;
}
