// A small inline chart of recent values.

const LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

// The last `width` values as block characters scaled to their maximum; zeros
// are spaces, so an idle row shows nothing. Left-padded to `width`.
export function sparkline(values: readonly number[], width: number): string {
  if (width <= 0) return '';
  const tail = values.slice(-width);
  const max = Math.max(0, ...tail);
  const chars = tail.map((v) => (v <= 0 || max <= 0 ? ' ' : LEVELS[Math.min(LEVELS.length - 1, Math.floor((v / max) * (LEVELS.length - 1) + 0.5))]!));
  return chars.join('').padStart(width);
}
