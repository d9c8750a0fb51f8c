// A minimal SVG writer: escaped text and attributes, fixed number formatting
// (deterministic output, byte for byte), no dependencies.

// Attribute values; numbers are written with at most two decimals.
export type Attrs = Readonly<Record<string, string | number>>;

// Text safe in XML content and attribute values.
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// A coordinate or size: at most two decimals, no trailing zeros, never "-0".
export function num(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) || r === 0 ? '0' : String(r);
}

// An element with children (already SVG) or none (self-closing).
export function el(name: string, attrs: Attrs, children: readonly string[] = []): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`)
    .join('');
  return children.length === 0 ? `<${name}${a}/>` : `<${name}${a}>${children.join('')}</${name}>`;
}

// A text element; the text is escaped.
export function text(x: number, y: number, content: string, attrs: Attrs = {}): string {
  return `${el('text', { x, y, ...attrs }).slice(0, -2)}>${escapeXml(content)}</text>`;
}

// The whole document: explicit size, a background rect (readable on light and
// dark pages alike), a title for screen readers, then the body.
export function svgDocument(width: number, height: number, title: string, background: string, body: readonly string[]): string {
  const head = `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" role="img" aria-label="${escapeXml(title)}">`;
  return [head, `<title>${escapeXml(title)}</title>`, el('rect', { x: 0, y: 0, width, height, rx: 6, fill: background }), ...body, '</svg>', ''].join('\n');
}
