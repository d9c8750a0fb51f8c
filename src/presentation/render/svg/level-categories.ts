// Time by category per level, as SVG: one horizontal bar per level, split by
// category (working categories only: waiting is not work), each bar as long as
// that level's working syscall time, so more work shows as a longer bar.
import { formatDuration, formatPercent } from '../units.js';
import { emptyCard } from './empty-card.js';
import { el, escapeXml, svgDocument, text } from './svg.js';
import { SVG_FONT, SVG_THEME as T } from './theme.js';

// One category's time per level.
export interface LevelCategory {
  readonly label: string;
  readonly totalNs: readonly number[];
}

// Colours of the categories, in order.
const CATEGORY_COLORS = ['#0969da', '#bc4c00', '#1a7f37', '#8250df', '#cf222e', '#9a6700', '#0550ae', '#57606a'] as const;

// Layout, in px.
const WIDTH = 760;
const LABEL_X = 16;
const BAR_X = 150;
const BAR_MAX = 480;
const ROW = 30;
const TOP = 56;

// The chart as an SVG document (ends with a newline); a card when there is nothing to draw.
export function levelCategoriesSvg(labels: readonly string[], categories: readonly LevelCategory[]): string {
  const totals = labels.map((_, k) => categories.reduce((n, c) => n + (c.totalNs[k] ?? 0), 0));
  const most = Math.max(...totals);
  if (categories.length === 0 || !(most > 0)) return emptyCard('time by category: no working calls');
  const color = (i: number): string => CATEGORY_COLORS[i % CATEGORY_COLORS.length]!;
  const body: string[] = [
    text(16, 22, 'Time in working syscalls by category, per level', { 'font-size': 15, 'font-weight': 600, fill: T.text }),
    text(16, 40, 'bar length: the level\u2019s total; waiting calls (epoll_wait, futex, sleeps) left out', { fill: T.muted }),
  ];
  labels.forEach((label, k) => {
    const y = TOP + k * ROW;
    body.push(text(LABEL_X, y + 15, label, { fill: T.text }));
    let x = BAR_X;
    categories.forEach((c, i) => {
      const ns = c.totalNs[k] ?? 0;
      if (ns <= 0) return;
      const w = (ns / most) * BAR_MAX;
      body.push(el('rect', { class: `bar level-${k}`, x, y, width: Math.max(0.5, w), height: 20, fill: color(i) }, [`<title>${escapeXml(`${label} ${c.label}: ${formatDuration(ns)} (${formatPercent(ns / totals[k]!)})`)}</title>`]));
      x += w;
    });
    body.push(text(x + 6, y + 15, formatDuration(totals[k]!), { fill: T.muted }));
  });
  // legend under the bars
  let lx = LABEL_X;
  let ly = TOP + labels.length * ROW + 20;
  categories.forEach((c, i) => {
    const w = 14 + c.label.length * 7 + 16;
    if (lx + w > WIDTH - 16) {
      lx = LABEL_X;
      ly += 18;
    }
    body.push(el('rect', { x: lx, y: ly - 9, width: 10, height: 10, rx: 2, fill: color(i) }));
    body.push(text(lx + 14, ly, c.label, { fill: T.text }));
    lx += w;
  });
  return svgDocument(WIDTH, ly + 16, 'Time by category per level', T.background, [el('g', SVG_FONT, body)]);
}
