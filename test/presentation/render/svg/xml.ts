// A strict little XML parser for the SVG tests: it throws on anything not
// well-formed (unclosed or crossed tags, unquoted or repeated attributes, raw
// '<' or '&' in text, unknown entities) and returns the element tree.

// An element: name, attributes (entities decoded), children, text content.
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITY = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

// The root element of a document (an optional <?xml ...?> declaration allowed).
export function parseXml(source: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const fail = (why: string): never => {
    throw new Error(`not well-formed at ${i}: ${why}: ${JSON.stringify(source.slice(i, i + 40))}`);
  };
  const decode = (raw: string): string => {
    let out = '';
    for (let k = 0; k < raw.length; k++) {
      const c = raw[k]!;
      if (c === '<') fail('raw < in text or attribute');
      if (c !== '&') {
        out += c;
        continue;
      }
      const m = ENTITY.exec(raw.slice(k));
      if (m === null) fail('bad entity');
      const e = m![1]!;
      out += e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
      k += m![0].length - 1;
    }
    return out;
  };
  if (source.startsWith('<?xml')) i = source.indexOf('?>') + 2;
  while (i < source.length) {
    if (source[i] !== '<') {
      const end = source.indexOf('<', i);
      const raw = source.slice(i, end < 0 ? source.length : end);
      const t = decode(raw);
      if (stack.length === 0) {
        if (t.trim() !== '') fail('text outside the root');
      } else stack[stack.length - 1]!.text += t;
      i += raw.length;
      continue;
    }
    if (source.startsWith('</', i)) {
      const m = NAME.exec(source.slice(i + 2));
      if (m === null) fail('bad end tag');
      const open = stack.pop();
      if (open === undefined || open.name !== m![0]) fail(`end tag ${m![0]} does not close ${open?.name ?? 'nothing'}`);
      i += 2 + m![0].length;
      while (/\s/.test(source[i] ?? '')) i++;
      if (source[i] !== '>') fail('end tag not closed');
      i++;
      continue;
    }
    const m = NAME.exec(source.slice(i + 1));
    if (m === null) fail('bad start tag');
    i += 1 + m![0].length;
    const attrs: Record<string, string> = {};
    for (;;) {
      const ws = /^\s*/.exec(source.slice(i))![0].length;
      i += ws;
      if (source.startsWith('/>', i) || source[i] === '>') break;
      if (ws === 0) fail('attributes not separated');
      const a = /^([A-Za-z_:][\w.:-]*)="([^"]*)"/.exec(source.slice(i));
      if (a === null) fail('bad attribute');
      if (a![1]! in attrs) fail(`repeated attribute ${a![1]}`);
      attrs[a![1]!] = decode(a![2]!);
      i += a![0].length;
    }
    const node: XmlElement = { name: m![0], attrs, children: [], text: '' };
    if (stack.length === 0) {
      if (root !== null) fail('second root element');
      root = node;
    } else stack[stack.length - 1]!.children.push(node);
    if (source.startsWith('/>', i)) i += 2;
    else {
      i += 1;
      stack.push(node);
    }
  }
  if (stack.length > 0) fail(`unclosed ${stack[stack.length - 1]!.name}`);
  if (root === null) fail('no root element');
  return root!;
}

// Every element of the tree (depth first) that matches.
export function findAll(root: XmlElement, match: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (match(e)) out.push(e);
    e.children.forEach(walk);
  };
  walk(root);
  return out;
}

// All text in the tree, element by element, joined with newlines.
export function allText(root: XmlElement): string {
  return findAll(root, (e) => e.text !== '').map((e) => e.text).join('\n');
}
