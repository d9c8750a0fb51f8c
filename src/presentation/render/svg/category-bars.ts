// Time by category as SVG: one horizontal bar per category. Working
// categories share one scale and the bottleneck is drawn in red and marked;
// waiting categories (epoll_wait, futex, sleeps) come after, in grey, on their
// own scale: time spent waiting is not work and would dwarf the rest.
import { formatCount, formatDuration, formatPercent } from '../units.js';
import { emptyCard } from './empty-card.js';
import { el, escapeXml, svgDocument, text } from './svg.js';
import { SVG_FONT, SVG_THEME as T } from './theme.js';

// One bar.
export interface CategoryBar {
  readonly label: string;
  readonly calls: number;
  readonly totalNs: number;
  // share of non-waiting time; null for waiting categories
  readonly share: number | null;
  readonly waiting: boolean;
  readonly bottleneck: boolean;
  // of totalNs, the time on a CPU; null when the capture does not say
  readonly onCpuNs: number | null;
}

// Layout, in px.
const WIDTH = 760;
const LABEL_X = 16;
const BAR_X = 260;
const BAR_MAX = 280;
const ROW = 26;
const TOP = 60;
const MAX_LABEL_CHARS = 38;

// The chart as an SVG document (ends with a newline); a "no calls" card when empty.
export function categoryBarsSvg(bars: readonly CategoryBar[]): string {
  if (bars.length === 0) return emptyCard('time by category: no calls');
  const working = bars.filter((b) => !b.waiting);
  const waiting = bars.filter((b) => b.waiting);
  const split = bars.some((b) => b.onCpuNs !== null);

  const body: string[] = [];
  body.push(text(16, 22, 'Time by category', { 'font-size': 15, 'font-weight': 600, fill: T.text }));
  body.push(text(16, 40, '% of the time not spent waiting; waiting calls are shown apart, on their own scale', { fill: T.muted }));

  let y = TOP;
  y = group(body, working, y, false, split);
  if (waiting.length > 0) {
    if (working.length > 0) y += 8;
    body.push(text(LABEL_X, y + 14, 'Waiting, not working', { 'font-weight': 600, fill: T.muted }));
    body.push(el('line', { x1: LABEL_X, y1: y + 20, x2: WIDTH - 16, y2: y + 20, stroke: T.border }));
    y = group(body, waiting, y + 26, true, split);
  }
  if (split) {
    y += 10;
    body.push(el('rect', { x: LABEL_X, y: y, width: 14, height: 10, fill: T.bar }));
    body.push(text(LABEL_X + 20, y + 9, 'on CPU', { 'font-size': 11, fill: T.text }));
    body.push(el('rect', { x: LABEL_X + 80, y: y, width: 14, height: 10, fill: T.bar, 'fill-opacity': 0.35 }));
    body.push(text(LABEL_X + 100, y + 9, 'off CPU (blocked or runnable)', { 'font-size': 11, fill: T.text }));
    y += 16;
  }
  return svgDocument(WIDTH, y + 14, 'Time by category', T.background, [el('g', SVG_FONT, body)]);
}

// Rows of one group scaled to its largest; returns the y below them.
function group(body: string[], bars: readonly CategoryBar[], top: number, waiting: boolean, split: boolean): number {
  const max = Math.max(0, ...bars.map((b) => b.totalNs));
  bars.forEach((b, i) => {
    const y = top + i * ROW;
    const w = max > 0 ? Math.max(b.totalNs > 0 ? 1 : 0, (b.totalNs / max) * BAR_MAX) : 0;
    const colour = waiting ? T.waiting : b.bottleneck ? T.bottleneck : T.bar;
    body.push(text(LABEL_X, y + 15, shorten(b.label), { fill: T.text, ...(b.bottleneck ? { 'font-weight': 600 } : {}) }));
    const tip = `${b.label}: ${formatDuration(b.totalNs)} in ${formatCount(b.calls)} calls`;
    const cls = waiting ? 'bar waiting' : b.bottleneck ? 'bar bottleneck' : 'bar';
    if (split && b.onCpuNs !== null && b.totalNs > 0) {
      const on = (Math.min(b.onCpuNs, b.totalNs) / b.totalNs) * w;
      body.push(el('rect', { class: cls, 'data-ns': b.totalNs, x: BAR_X, y: y + 4, width: w, height: 16, fill: colour, 'fill-opacity': 0.35 }, [`<title>${escapeXml(tip)}</title>`]));
      body.push(el('rect', { x: BAR_X, y: y + 4, width: on, height: 16, fill: colour }));
    } else {
      body.push(el('rect', { class: cls, 'data-ns': b.totalNs, x: BAR_X, y: y + 4, width: w, height: 16, fill: colour }, [`<title>${escapeXml(tip)}</title>`]));
    }
    const share = b.share === null ? '' : ` (${b.share > 0 && b.share < 0.0005 ? '<0.1%' : formatPercent(b.share)})`;
    body.push(text(BAR_X + w + 8, y + 16, `${formatDuration(b.totalNs)}${share}`, { fill: T.text }));
    if (b.bottleneck) body.push(text(WIDTH - 16, y + 16, '← BOTTLENECK', { 'text-anchor': 'end', 'font-weight': 700, fill: T.bottleneck }));
  });
  return top + bars.length * ROW;
}

function shorten(label: string): string {
  return label.length <= MAX_LABEL_CHARS ? label : `${label.slice(0, MAX_LABEL_CHARS - 1)}…`;
}
