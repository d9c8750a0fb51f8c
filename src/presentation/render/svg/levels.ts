// What the compare charts share: one colour per level and the legend naming them.
import { el, text } from './svg.js';
import { SVG_THEME as T } from './theme.js';

// Colours of the levels, in order (repeating past the sixth).
const LEVEL_COLORS = ['#0969da', '#bc4c00', '#cf222e', '#1a7f37', '#8250df', '#57606a'] as const;

// The colour of level k.
export function levelColor(k: number): string {
  return LEVEL_COLORS[k % LEVEL_COLORS.length]!;
}

// A one-line legend at (x, y): a swatch and the label of each level.
export function levelLegend(x: number, y: number, labels: readonly string[]): string[] {
  const out: string[] = [];
  let at = x;
  labels.forEach((label, k) => {
    out.push(el('rect', { x: at, y: y - 9, width: 10, height: 10, rx: 2, fill: levelColor(k) }));
    out.push(text(at + 14, y, label, { fill: T.text }));
    at += 14 + Math.max(40, label.length * 7) + 16;
  });
  return out;
}

// log10 of a positive ns value, for log scales (1 ns at least).
export function logNs(ns: number): number {
  return Math.log10(Math.max(1, ns));
}

// Powers of ten from 10^lo to 10^hi (the gridlines of a log scale).
export function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) out.push(e);
  return out;
}
