// Semantic colours (ok / warn / bad / dim) as ink Text props, or painted into a
// line's text; nothing when colour is off.
import chalk from 'chalk';
import type { LinePart } from '../model/screen-line.js';

// The tones a part of the screen can have.
export type Tone = LinePart['tone'];

// ink Text props for a tone.
export function toneProps(tone: Tone, color: boolean): { color?: string; dimColor?: boolean; bold?: boolean } {
  if (!color) return {};
  switch (tone) {
    case 'ok':
      return { color: 'green' };
    case 'warn':
      return { color: 'yellow' };
    case 'bad':
      return { color: 'red' };
    case 'dim':
      return { dimColor: true };
    case 'strong':
      return { bold: true };
    default:
      return {};
  }
}

// A tone painted as ink's Text paints its props (the same chalk calls, in the same order).
function paintTone(text: string, tone: Tone): string {
  switch (tone) {
    case 'ok':
      return chalk.green(text);
    case 'warn':
      return chalk.yellow(text);
    case 'bad':
      return chalk.red(text);
    case 'dim':
      return chalk.dim(text);
    case 'strong':
      return chalk.bold(text);
    default:
      return text;
  }
}

// A line's parts as one string with their colours, as <Text> parts with
// toneProps would show them; inverse: the whole line in reverse video (the
// selection; as ink's inverse prop, also without colours).
export function paintParts(parts: readonly LinePart[], color: boolean, inverse = false): string {
  const text = parts.map((p) => (color ? paintTone(p.text, p.tone) : p.text)).join('');
  return inverse ? chalk.inverse(text) : text;
}
