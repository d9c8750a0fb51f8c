// Latency distributions of each level overlaid, as SVG: one small panel per
// syscall, the share of its calls per power-of-two bucket as one line per
// level, all panels on one logarithmic time axis.
import { formatDuration, formatPercent } from '../units.js';
import { emptyCard } from './empty-card.js';
import { decades, levelColor, levelLegend, logNs } from './levels.js';
import { el, escapeXml, svgDocument, text } from './svg.js';
import { SVG_FONT, SVG_THEME as T } from './theme.js';

// One bucket's share of a level's calls.
export interface DistributionPoint {
  readonly lowNs: number;
  readonly highNs: number;
  readonly share: number;
}

// One syscall: its buckets per level (empty where the level has no calls).
export interface LevelDistribution {
  readonly syscall: string;
  readonly levels: readonly (readonly DistributionPoint[])[];
}

// Layout, in px.
const WIDTH = 760;
const LEFT = 56;
const RIGHT = 16;
const TOP = 70;
const PANEL_HEIGHT = 120;
const PANEL_GAP = 44;

// The chart as an SVG document (ends with a newline); a card when there is nothing to draw.
export function levelDistributionsSvg(labels: readonly string[], syscalls: readonly LevelDistribution[]): string {
  const points = syscalls.flatMap((s) => s.levels.flat());
  if (points.length === 0) return emptyCard('latency distributions: no calls');
  const lo = Math.floor(logNs(Math.min(...points.map((p) => p.lowNs))));
  const hi = Math.max(lo + 1, Math.ceil(logNs(Math.max(...points.map((p) => p.highNs)))));
  const x = (ns: number): number => LEFT + ((logNs(ns) - lo) / (hi - lo)) * (WIDTH - LEFT - RIGHT);
  const height = TOP + syscalls.length * (PANEL_HEIGHT + PANEL_GAP);
  const body: string[] = [
    text(16, 22, 'Latency distribution per level', { 'font-size': 15, 'font-weight': 600, fill: T.text }),
    text(16, 40, 'share of each level\u2019s calls per power-of-two bucket; time on a log scale', { fill: T.muted }),
    ...levelLegend(16, 58, labels),
  ];
  syscalls.forEach((s, i) => {
    const top = TOP + i * (PANEL_HEIGHT + PANEL_GAP) + 20;
    const peak = Math.max(0.01, ...s.levels.flat().map((p) => p.share));
    const y = (share: number): number => top + PANEL_HEIGHT - (share / peak) * PANEL_HEIGHT;
    body.push(text(LEFT, top - 8, s.syscall, { 'font-weight': 600, fill: T.text }));
    body.push(el('line', { x1: LEFT, y1: top + PANEL_HEIGHT, x2: WIDTH - RIGHT, y2: top + PANEL_HEIGHT, stroke: T.border }));
    body.push(text(LEFT - 6, top + 4, formatPercent(peak), { 'text-anchor': 'end', fill: T.muted, 'font-size': 10 }));
    for (const e of decades(lo, hi)) {
      const gx = x(10 ** e);
      body.push(el('line', { x1: gx, y1: top, x2: gx, y2: top + PANEL_HEIGHT, stroke: T.grid }));
      body.push(text(gx, top + PANEL_HEIGHT + 14, formatDuration(10 ** e), { 'text-anchor': 'middle', fill: T.muted, 'font-size': 10 }));
    }
    s.levels.forEach((pts, k) => {
      if (pts.length === 0) return;
      // each bucket at its geometric middle; the line starts and ends at zero
      const mid = (p: DistributionPoint): number => x(Math.sqrt(Math.max(1, p.lowNs) * p.highNs));
      const coords = [`${x(pts[0]!.lowNs)},${y(0)}`, ...pts.map((p) => `${mid(p)},${y(p.share)}`), `${x(pts[pts.length - 1]!.highNs)},${y(0)}`];
      body.push(el('polyline', { class: `level-${k}`, points: coords.map((c) => c.split(',').map((n) => Number(n).toFixed(1)).join(',')).join(' '), fill: 'none', stroke: levelColor(k), 'stroke-width': 2 }, [`<title>${escapeXml(`${s.syscall} ${labels[k]}`)}</title>`]));
    });
  });
  return svgDocument(WIDTH, height, 'Latency distribution per level', T.background, [el('g', SVG_FONT, body)]);
}
