// A latency histogram as SVG: one bar per power-of-two bucket (height
// proportional to its calls, labelled with count and share), the p50 and p99
// positions as dashed lines, and the modes shaded when there are several.
import type { BucketTable, LatencyBucket } from '../../../core/analysis/buckets.js';
import type { LatencyRow } from '../../../core/analysis/latency-rows.js';
import type { ModeAnalysis } from '../../../core/analysis/modes.js';
import { percentText } from '../histogram-bars.js';
import { ESTIMATE_MARK } from '../latency-cells.js';
import { describeModes, niceCeil } from '../mode-text.js';
import { formatEdge } from '../span.js';
import { formatCalls, formatCount, formatDuration } from '../units.js';
import { emptyCard } from './empty-card.js';
import { el, escapeXml, svgDocument, text } from './svg.js';
import { SVG_FONT, SVG_THEME as T } from './theme.js';

// What the chart shows.
export interface HistogramChart {
  readonly syscall: string;
  // log2 buckets (analysis/buckets.ts, { kind: 'log2' })
  readonly table: BucketTable;
  readonly modes: ModeAnalysis;
  // its statistics; null when it has no calls
  readonly row: LatencyRow | null;
}

// Layout, in px.
const LEFT = 64;
const RIGHT = 24;
const PLOT_TOP = 56;
const PLOT_HEIGHT = 200;
const MIN_BAR_SLOT = 40;
const MAX_BAR_SLOT = 72;
const MIN_WIDTH = 560;
// room above the tallest bar for its two labels
const LABEL_ROOM = 30;
// approximate width of a character at 11 px, for fitting labels
const CHAR_PX = 6.2;

// The chart as an SVG document (ends with a newline); a small "no calls" card when empty.
export function latencyHistogramSvg(chart: HistogramChart): string {
  const { table, syscall } = chart;
  const buckets = table.buckets;
  if (table.total === 0 || buckets.length === 0) return emptyCard(`${syscall}: no calls`);

  const slot = Math.max(MIN_BAR_SLOT, Math.min(MAX_BAR_SLOT, (MIN_WIDTH - LEFT - RIGHT) / buckets.length));
  const plotWidth = slot * buckets.length;
  const width = Math.max(MIN_WIDTH, LEFT + plotWidth + RIGHT);
  const plotBottom = PLOT_TOP + PLOT_HEIGHT;
  const height = plotBottom + 72;
  const maxCount = Math.max(...buckets.map((b) => b.count));
  const barScale = maxCount > 0 ? (PLOT_HEIGHT - LABEL_ROOM) / maxCount : 0;
  const xOf = (ns: number): number => LEFT + positionOf(buckets, ns) * slot;

  const body: string[] = [];
  body.push(text(16, 22, `${syscall}: latency distribution`, { 'font-size': 15, 'font-weight': 600, fill: T.text }));
  body.push(text(16, 40, subtitle(chart), { fill: T.muted }));

  // gridlines and the count axis
  const step = niceCeil(maxCount / 4);
  for (let value = 0; value <= maxCount; value += step) {
    const y = plotBottom - value * barScale;
    body.push(el('line', { x1: LEFT, y1: y, x2: LEFT + plotWidth, y2: y, stroke: value === 0 ? T.muted : T.grid, 'stroke-width': 1 }));
    if (value > 0) body.push(text(LEFT - 6, y + 4, formatCount(value), { 'text-anchor': 'end', 'font-size': 11, fill: T.muted }));
  }
  body.push(text(14, PLOT_TOP + PLOT_HEIGHT / 2, 'calls', { 'font-size': 11, fill: T.muted, transform: `rotate(-90 14 ${PLOT_TOP + PLOT_HEIGHT / 2})`, 'text-anchor': 'middle' }));

  // modes, behind the bars
  if (chart.modes.multimodal) {
    for (const m of chart.modes.modes) {
      const x1 = xOf(m.lowNs);
      const x2 = Math.max(x1 + 4, xOf(m.highNs));
      body.push(el('rect', { class: 'mode', x: x1, y: PLOT_TOP, width: x2 - x1, height: PLOT_HEIGHT, fill: T.mode }));
    }
  }

  // bars and their labels
  buckets.forEach((b, i) => {
    if (b.count <= 0) return;
    const h = Math.max(1, b.count * barScale);
    const x = LEFT + i * slot;
    const y = plotBottom - h;
    const label = `${bucketText(b)}: ${formatCount(b.count)} calls (${percentText(b.count, b.share)})`;
    body.push(el('rect', { class: 'bar', 'data-count': round2(b.count), x: x + 3, y, width: slot - 6, height: h, fill: T.bar }, [`<title>${escapeXml(label)}</title>`]));
    const pct = percentText(b.count, b.share);
    const count = formatCount(b.count);
    if (fits(pct, slot)) body.push(text(x + slot / 2, y - 4, pct, { 'text-anchor': 'middle', 'font-size': 11, fill: T.text }));
    if (fits(count, slot)) body.push(text(x + slot / 2, y - 17, count, { 'text-anchor': 'middle', 'font-size': 11, fill: T.muted }));
  });

  // bucket edges on the time axis, as many as fit
  const every = Math.max(1, Math.ceil(56 / slot));
  buckets.forEach((b, i) => {
    if (i % every !== 0 || b.lowNs === null) return;
    const x = LEFT + i * slot;
    body.push(el('line', { x1: x, y1: plotBottom, x2: x, y2: plotBottom + 4, stroke: T.muted }));
    body.push(text(x, plotBottom + 17, formatEdge(b.lowNs), { 'text-anchor': 'middle', 'font-size': 11, fill: T.muted }));
  });
  body.push(text(LEFT + plotWidth / 2, plotBottom + 35, 'latency (log scale: each bar is a power of two of ns)', { 'text-anchor': 'middle', 'font-size': 11, fill: T.muted }));

  // percentile markers, over the bars, and the legend
  const legend: Array<[string, string]> = [];
  const row = chart.row;
  if (row !== null) {
    const mark = row.estimated ? ESTIMATE_MARK : '';
    for (const [name, ns, colour] of [['p50', row.p50Ns, T.p50], ['p99', row.p99Ns, T.p99]] as const) {
      if (ns === null) continue;
      const x = xOf(ns);
      body.push(el('line', { class: `marker-${name}`, x1: x, y1: PLOT_TOP, x2: x, y2: plotBottom, stroke: colour, 'stroke-width': 2, 'stroke-dasharray': '5 3' }));
      legend.push([colour, `${name} ${mark}${formatDuration(ns)}`]);
    }
  }
  let lx = LEFT;
  const ly = plotBottom + 58;
  for (const [colour, label] of legend) {
    body.push(el('line', { x1: lx, y1: ly - 4, x2: lx + 18, y2: ly - 4, stroke: colour, 'stroke-width': 2, 'stroke-dasharray': '5 3' }));
    body.push(text(lx + 24, ly, label, { 'font-size': 11, fill: T.text }));
    lx += 24 + label.length * CHAR_PX + 20;
  }
  if (chart.modes.multimodal) {
    body.push(el('rect', { x: lx, y: ly - 10, width: 14, height: 12, fill: T.mode, stroke: T.border }));
    body.push(text(lx + 20, ly, `modes: ${describeModes(chart.modes.modes)}`, { 'font-size': 11, fill: T.modeText }));
  }

  return svgDocument(width, height, `${syscall} latency distribution`, T.background, [el('g', SVG_FONT, body)]);
}

// Where a latency falls on the bucket axis, in buckets from the left edge:
// bucket index plus the log2 fraction inside it (powers of two: linear in log).
export function positionOf(buckets: readonly LatencyBucket[], ns: number): number {
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    const low = b.lowNs ?? 0;
    const high = b.highNs ?? Infinity;
    if (ns >= low && ns < high) {
      if (b.lowNs === null || b.highNs === null) return i + 0.5;
      return i + Math.min(1, Math.max(0, Math.log2(ns / b.lowNs) / Math.log2(b.highNs / b.lowNs)));
    }
  }
  const first = buckets[0]?.lowNs;
  return first !== undefined && first !== null && ns < first ? 0 : buckets.length;
}

// "<b> 512 ns-1.02 µs" style description of a bucket (for tooltips).
function bucketText(b: LatencyBucket): string {
  if (b.lowNs === null) return `< ${formatEdge(b.highNs ?? 0)}`;
  if (b.highNs === null) return `>= ${formatEdge(b.lowNs)}`;
  return `${formatEdge(b.lowNs)} to ${formatEdge(b.highNs)}`;
}

function subtitle(chart: HistogramChart): string {
  const { table, row } = chart;
  const parts = [formatCalls(table.total)];
  if (row !== null) {
    const mark = row.estimated ? ESTIMATE_MARK : '';
    parts.push(`min ${mark}${formatDuration(row.minNs)}`, `p50 ${mark}${formatDuration(row.p50Ns)}`, `p99 ${mark}${formatDuration(row.p99Ns)}`, `max ${formatDuration(row.maxNs)}`);
    if (row.estimated) parts.push(`${ESTIMATE_MARK} estimated from in-kernel histograms`);
  }
  return parts.join(' · ');
}

function fits(label: string, slot: number): boolean {
  return label.length * CHAR_PX <= slot - 2;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
