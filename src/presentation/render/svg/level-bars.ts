// Latency per syscall across levels as SVG (the seed's comparison figure):
// one panel per statistic (avg, p99, max), in each a group of bars per
// syscall, one bar per level, on a shared logarithmic time scale.
import { formatDuration } from '../units.js';
import { emptyCard } from './empty-card.js';
import { decades, levelColor, levelLegend, logNs } from './levels.js';
import { el, escapeXml, svgDocument, text } from './svg.js';
import { SVG_FONT, SVG_THEME as T } from './theme.js';

// One syscall's values per level (null: no calls at that level).
export interface LevelBarGroup {
  readonly syscall: string;
  readonly avgNs: readonly (number | null)[];
  readonly p99Ns: readonly (number | null)[];
  readonly maxNs: readonly (number | null)[];
}

// Layout, in px.
const LEFT = 64;
const RIGHT = 16;
const PANEL_HEIGHT = 150;
const PANEL_GAP = 46;
const TOP = 70;
const BAR = 12;
const GROUP_GAP = 22;

// The chart as an SVG document (ends with a newline); a card when there is nothing to draw.
export function levelBarsSvg(labels: readonly string[], groups: readonly LevelBarGroup[]): string {
  const values = groups.flatMap((g) => [...g.avgNs, ...g.p99Ns, ...g.maxNs]).filter((v): v is number => v !== null && v > 0);
  if (groups.length === 0 || values.length === 0) return emptyCard('latency across levels: no calls');
  const lo = Math.floor(logNs(Math.min(...values)));
  const hi = Math.max(lo + 1, Math.ceil(logNs(Math.max(...values))));
  const groupWidth = labels.length * BAR + GROUP_GAP;
  const width = Math.max(560, LEFT + RIGHT + groups.length * groupWidth);
  const panels: readonly (readonly [string, keyof Omit<LevelBarGroup, 'syscall'>])[] = [
    ['Average', 'avgNs'],
    ['p99', 'p99Ns'],
    ['Max', 'maxNs'],
  ];
  const height = TOP + panels.length * (PANEL_HEIGHT + PANEL_GAP);
  const body: string[] = [
    text(16, 22, 'Latency per syscall across levels', { 'font-size': 15, 'font-weight': 600, fill: T.text }),
    text(16, 40, 'log scale; one bar per level, in the legend\u2019s order', { fill: T.muted }),
    ...levelLegend(16, 58, labels),
  ];
  const y = (ns: number, top: number): number => top + PANEL_HEIGHT - ((logNs(ns) - lo) / (hi - lo)) * PANEL_HEIGHT;
  panels.forEach(([title, key], i) => {
    const top = TOP + i * (PANEL_HEIGHT + PANEL_GAP) + 20;
    body.push(text(LEFT, top - 8, title, { 'font-weight': 600, fill: T.text }));
    for (const e of decades(lo, hi)) {
      const gy = y(10 ** e, top);
      body.push(el('line', { x1: LEFT, y1: gy, x2: width - RIGHT, y2: gy, stroke: T.grid }));
      body.push(text(LEFT - 6, gy + 4, formatDuration(10 ** e), { 'text-anchor': 'end', fill: T.muted, 'font-size': 10 }));
    }
    groups.forEach((g, j) => {
      const gx = LEFT + 8 + j * groupWidth;
      g[key].forEach((v, k) => {
        if (v === null || v <= 0) return;
        const top1 = y(v, top);
        body.push(el('rect', { class: `bar level-${k}`, x: gx + k * BAR, y: top1, width: BAR - 2, height: top + PANEL_HEIGHT - top1, fill: levelColor(k) }, [`<title>${escapeXml(`${g.syscall} ${labels[k]} ${formatDuration(v)}`)}</title>`]));
      });
      body.push(text(gx + (labels.length * BAR) / 2, top + PANEL_HEIGHT + 14, g.syscall, { 'text-anchor': 'middle', fill: T.text, 'font-size': 11 }));
    });
  });
  return svgDocument(width, height, 'Latency per syscall across levels', T.background, [el('g', SVG_FONT, body)]);
}
