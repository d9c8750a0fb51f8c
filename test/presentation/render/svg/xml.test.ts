import { describe, expect, it } from 'vitest';
import { parseXml } from './xml.js';

// The checker the SVG tests rely on must itself reject what is not XML.
describe('parseXml', () => {
  it('accepts a small document and decodes entities', () => {
    const root = parseXml('<svg a="1 &amp; 2"><text x="0">a &lt;b&gt; &#39;c&#39;</text><rect/></svg>\n');
    expect(root.name).toBe('svg');
    expect(root.attrs['a']).toBe('1 & 2');
    expect(root.children.map((c) => c.name)).toEqual(['text', 'rect']);
    expect(root.children[0]!.text).toBe("a <b> 'c'");
  });

  it.each([
    ['<svg><g></svg>', 'crossed tags'],
    ['<svg>', 'unclosed root'],
    ['<svg a=1/>', 'unquoted attribute'],
    ['<svg a="1" a="2"/>', 'repeated attribute'],
    ['<svg>a & b</svg>', 'raw ampersand'],
    ['<svg>a &nbsp; b</svg>', 'unknown entity'],
    ['<svg a="x<y"/>', 'raw < in an attribute'],
    ['<svg/><svg/>', 'two roots'],
    ['', 'empty'],
  ])('rejects %j (%s)', (src) => {
    expect(() => parseXml(src)).toThrow(/not well-formed/);
  });
});
