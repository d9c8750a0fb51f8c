// Semantic colours for terminal output; plain text when disabled.

// A way to paint text.
export type Paint = (text: string) => string;

// The colours renderers may use, by meaning.
export interface Palette {
  readonly ok: Paint;
  readonly warn: Paint;
  readonly bad: Paint;
  readonly dim: Paint;
  readonly strong: Paint;
}

const sgr =
  (open: number, close: number): Paint =>
  (text) =>
    text === '' ? text : `\u001b[${open}m${text}\u001b[${close}m`;

const plain: Paint = (text) => text;

// The palette: ANSI colours when enabled, identity otherwise.
export function palette(enabled: boolean): Palette {
  if (!enabled) return { ok: plain, warn: plain, bad: plain, dim: plain, strong: plain };
  return { ok: sgr(32, 39), warn: sgr(33, 39), bad: sgr(31, 39), dim: sgr(2, 22), strong: sgr(1, 22) };
}

// Colours only on a terminal and when NO_COLOR is unset (https://no-color.org).
export function colorWanted(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  const noColor = env['NO_COLOR'];
  return isTTY === true && (noColor === undefined || noColor === '');
}
