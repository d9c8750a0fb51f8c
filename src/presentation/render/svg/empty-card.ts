// The chart drawn when there is nothing to chart: a small card with one line.
import { el, svgDocument, text } from './svg.js';
import { SVG_FONT, SVG_THEME as T } from './theme.js';

// "read: no calls" as a valid SVG document (ends with a newline).
export function emptyCard(message: string): string {
  const body = [el('rect', { x: 0.5, y: 0.5, width: 479, height: 79, rx: 6, fill: 'none', stroke: T.border }), text(240, 45, message, { 'text-anchor': 'middle', fill: T.muted })];
  return svgDocument(480, 80, message, T.background, [el('g', SVG_FONT, body)]);
}
