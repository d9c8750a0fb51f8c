// One line of the screen, drawn as given. ink measures a text with
// string-width whenever it changes (slow past ASCII: one sparkline character
// takes a whole row off its fast path), measures it again each time it draws
// it, and keeps every text it ever measured for the life of the process: a
// table line that changes every interval would pay all three. Here ink lays out
// a blank as wide as the line (the same few strings every frame: measured once,
// on the fast path) and the Transform puts the painted line in its place as ink
// draws. Memoized: a line that did not change is not rendered again.
import { Transform, useStdout } from 'ink';
import { memo } from 'react';
import { cutParts, type LinePart } from '../model/screen-line.js';
import { paintParts } from './tone.js';

// Props of Line.
export interface LineProps {
  // the line, painted (useLine)
  readonly text: string;
  // columns it takes on the terminal
  readonly width: number;
}

const blanks: string[] = [];
// a blank of `width` columns (one at least: an empty line still takes its row)
function blank(width: number): string {
  const w = Math.max(1, width);
  return (blanks[w] ??= ' '.repeat(w));
}

// A painted line.
export const Line = memo(function Line({ text, width }: LineProps) {
  return <Transform transform={() => text}>{blank(width)}</Transform>;
});

// Line's props for parts cut to `width` columns (never wider than the
// terminal ink draws on) and painted (colours when `color`, reverse video when `inverse`).
export function useLine(): (parts: readonly LinePart[], width: number, color: boolean, inverse?: boolean) => LineProps {
  const { stdout } = useStdout();
  const columns = stdout.columns || Number.MAX_SAFE_INTEGER;
  return (parts, width, color, inverse = false) => {
    const cut = cutParts(parts, Math.min(width, columns));
    return { text: paintParts(cut.parts, color, inverse), width: cut.width };
  };
}
