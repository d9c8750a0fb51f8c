// A small strict XML reader for tests of generated XML (JUnit): elements,
// attributes and text, throwing on anything not well-formed that our writers
// could get wrong (unbalanced tags, bad entities, stray '<' or '&', control characters).

// An element: its name, attributes (entities decoded), children and text.
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  if (/[<]/.test(text)) throw new Error(`stray '<' in ${JSON.stringify(text)}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) throw new Error(`control character in ${JSON.stringify(text)}`);
  return text.replace(/&([^;]*);?/g, (m, name: string) => {
    if (!m.endsWith(';')) throw new Error(`unterminated entity in ${JSON.stringify(text)}`);
    const hex = /^#x([0-9a-f]+)$/i.exec(name);
    const dec = /^#(\d+)$/.exec(name);
    if (hex !== null) return String.fromCodePoint(parseInt(hex[1]!, 16));
    if (dec !== null) return String.fromCodePoint(Number(dec[1]));
    const e = ENTITIES[name];
    if (e === undefined) throw new Error(`unknown entity &${name};`);
    return e;
  });
}

// The root element of a document; throws when it is not well-formed.
export function parseXml(doc: string): XmlElement {
  const body = doc.replace(/^<\?xml[^?]*\?>\s*/, '');
  const tokens = body.split(/(<[^>]*>)/).filter((t) => t !== '');
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  for (const t of tokens) {
    if (!t.startsWith('<')) {
      if (stack.length === 0) {
        if (t.trim() !== '') throw new Error(`text outside the root: ${JSON.stringify(t)}`);
        continue;
      }
      stack[stack.length - 1]!.text += decode(t);
      continue;
    }
    const close = /^<\/([\w:.-]+)\s*>$/.exec(t);
    if (close !== null) {
      const top = stack.pop();
      if (top?.name !== close[1]) throw new Error(`</${close[1]}> closes <${top?.name ?? 'nothing'}>`);
      continue;
    }
    const open = /^<([\w:.-]+)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>$/.exec(t);
    if (open === null) throw new Error(`malformed tag ${t}`);
    const attrs: Record<string, string> = {};
    for (const [, k, v] of open[2]!.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
      if (k! in attrs) throw new Error(`attribute ${k} twice in ${t}`);
      attrs[k!] = decode(v!);
    }
    const el: XmlElement = { name: open[1]!, attrs, children: [], text: '' };
    if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
    else if (root !== null) throw new Error('two root elements');
    else root = el;
    if (open[3] !== '/') stack.push(el);
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (root === null) throw new Error('no root element');
  return root;
}
