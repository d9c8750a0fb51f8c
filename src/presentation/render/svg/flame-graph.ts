// A flame graph of one syscall's slow-call time by stack: the outermost frame
// at the bottom, each frame as wide as the slow time spent under it, the
// frames nearest the syscall on top (as flamegraph.pl draws folded stacks).
import { el, escapeXml, svgDocument, text } from './svg.js';
import { SVG_FONT, SVG_THEME as T } from './theme.js';
import { emptyCard } from './empty-card.js';

// One stack: frame names outermost first, and its slow-call time.
export interface FlameStack {
  readonly names: readonly string[];
  readonly valueNs: number;
}

// What the graph is of, for its title.
export interface FlameGraphInput {
  readonly syscall: string;
  readonly stacks: readonly FlameStack[];
  // "12 slow calls, 34.5 ms" (words from the caller)
  readonly subtitle: string;
}

interface Node {
  readonly name: string;
  value: number;
  readonly children: Map<string, Node>;
}

const WIDTH = 960;
const PAD = 10;
const ROW = 17;
const TOP = 44;
// about the width of one character of the 11px font
const CHAR_PX = 6.6;
// frames narrower than this are not drawn
const MIN_PX = 0.3;

function tree(stacks: readonly FlameStack[]): Node {
  const root: Node = { name: '', value: 0, children: new Map() };
  for (const s of stacks) {
    if (!(s.valueNs > 0)) continue;
    root.value += s.valueNs;
    let node = root;
    for (const name of s.names) {
      let child = node.children.get(name);
      if (child === undefined) {
        child = { name, value: 0, children: new Map() };
        node.children.set(name, child);
      }
      child.value += s.valueNs;
      node = child;
    }
  }
  return root;
}

function depthOf(node: Node): number {
  let d = 0;
  for (const c of node.children.values()) d = Math.max(d, depthOf(c));
  return d + (node.name === '' ? 0 : 1);
}

// a warm colour per name (the same name, the same colour); kernel frames orange, unresolved grey
function colorOf(name: string): string {
  if (name.startsWith('[')) return '#c8c8c8';
  if (name.endsWith('_[k]')) return '#f0a050';
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) >>> 0;
  const r = 205 + (h % 50);
  const g = 80 + ((h >>> 8) % 130);
  const b = 40 + ((h >>> 16) % 45);
  return `rgb(${r},${g},${b})`;
}

// The graph as an SVG document (ends with a newline); a card saying so when no stack has time.
export function flameGraphSvg(input: FlameGraphInput): string {
  const root = tree(input.stacks);
  if (root.value <= 0) return emptyCard(`${input.syscall}: no stacks of slow calls`);
  const depth = depthOf(root);
  const height = TOP + depth * ROW + PAD + 14;
  const scale = (WIDTH - 2 * PAD) / root.value;
  const body: string[] = [
    text(PAD, 20, `${input.syscall}: slow-call time by stack`, { 'font-size': 14, 'font-weight': 600, fill: T.text }),
    text(PAD, 36, `${input.subtitle} · width = share of the slow time; outermost frame at the bottom`, { fill: T.muted }),
  ];
  const frames: string[] = [];
  const draw = (node: Node, x: number, level: number): void => {
    let cx = x;
    const children = [...node.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const c of children) {
      const w = c.value * scale;
      if (w >= MIN_PX) {
        const y = TOP + (depth - level - 1) * ROW;
        const share = c.value / root.value;
        const label = `${c.name} (${(share * 100).toFixed(1)}%)`;
        const fits = Math.floor((w - 6) / CHAR_PX);
        const shown = fits >= 3 ? (c.name.length <= fits ? c.name : `${c.name.slice(0, fits - 2)}..`) : '';
        frames.push(
          `<g><title>${escapeXml(label)}</title>${el('rect', { x: cx, y, width: w, height: ROW - 1, rx: 2, fill: colorOf(c.name) })}${
            shown === '' ? '' : text(cx + 3, y + ROW - 5, shown, { 'font-size': 11, fill: '#000000' })
          }</g>`,
        );
        draw(c, cx, level + 1);
      }
      cx += w;
    }
  };
  draw(root, PAD, 0);
  body.push(...frames);
  body.push(text(PAD, height - 8, 'Frames: the user stack at the slow call\'s return (the stack at its entry); hover a frame for its share.', { fill: T.muted, 'font-size': 11 }));
  return svgDocument(WIDTH, height, `${input.syscall}: slow-call time by stack`, T.background, [el('g', SVG_FONT, body)]);
}
