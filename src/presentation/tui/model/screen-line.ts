// A screen line as coloured parts, cut to the terminal's width by the columns
// its characters take (as ink's wrap="truncate" cuts: the last column an "…").
import stringWidth from 'string-width';

// One run of a line's text and how it looks.
export interface LinePart {
  readonly text: string;
  readonly tone: 'plain' | 'ok' | 'warn' | 'bad' | 'dim' | 'strong';
}

// Characters the screen draws that take one column: printable ASCII and the
// few others of the table (sparkline blocks, sort marks, "…", "µ", the filter's cursor).
const NARROW = /^[\u0020-\u007e\u00b5\u2026\u2581-\u2588\u25b2\u25bc\u258f]*$/;

// Columns `text` takes on a terminal (string-width only for characters beyond NARROW).
export function displayWidth(text: string): number {
  return NARROW.test(text) ? text.length : stringWidth(text);
}

// Control characters (a file's name, a label from the traced program) would
// move the cursor or change the terminal's state: each is shown as "?". ink
// strips such sequences from the texts it is given; a Line's text goes past that.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const EVERY_CONTROL = new RegExp(CONTROL.source, 'g');

function printable(part: LinePart): LinePart {
  return CONTROL.test(part.text) ? { text: part.text.replace(EVERY_CONTROL, '?'), tone: part.tone } : part;
}

// The parts, their control characters shown as "?", cut to `width` columns
// (the last kept one ends in "…" when something was cut; empty parts dropped)
// and the columns they take.
export function cutParts(given: readonly LinePart[], width: number): { readonly parts: LinePart[]; readonly width: number } {
  const parts = given.map(printable);
  const widths = parts.map((p) => displayWidth(p.text));
  const total = widths.reduce((n, w) => n + w, 0);
  if (total <= width) return { parts: parts.filter((p) => p.text !== ''), width: total };
  const out: LinePart[] = [];
  // room for the text before the "…"
  let room = Math.max(0, width - 1);
  for (const [i, p] of parts.entries()) {
    if (room === 0) break;
    const text = widths[i]! <= room ? p.text : cutText(p.text, room);
    if (text !== '') out.push({ text, tone: p.tone });
    room -= displayWidth(text);
  }
  if (width > 0) {
    const last = out.at(-1);
    if (last === undefined) out.push({ text: '…', tone: parts[0]?.tone ?? 'plain' });
    else out[out.length - 1] = { text: `${last.text}…`, tone: last.tone };
  }
  return { parts: out, width: out.reduce((n, p) => n + displayWidth(p.text), 0) };
}

// The longest start of `text` that takes at most `width` columns.
function cutText(text: string, width: number): string {
  if (NARROW.test(text)) return text.slice(0, width);
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = stringWidth(ch);
    if (used + w > width) break;
    out += ch;
    used += w;
  }
  return out;
}
