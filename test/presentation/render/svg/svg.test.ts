import { describe, expect, it } from 'vitest';
import { el, escapeXml, num, svgDocument, text } from '../../../../src/presentation/render/svg/svg.js';
import { parseXml } from './xml.js';

describe('svg writer', () => {
  it.each([
    ['plain', 'plain'],
    ['a & b', 'a &amp; b'],
    ['<x y="1">', '&lt;x y=&quot;1&quot;&gt;'],
    ["it's", 'it&#39;s'],
  ])('escapes %j', (raw, escaped) => {
    expect(escapeXml(raw)).toBe(escaped);
  });

  it.each([
    [0, '0'],
    [-0.001, '0'],
    [1.006, '1.01'],
    [12.3456, '12.35'],
    [100, '100'],
    [-3.5, '-3.5'],
  ])('writes %f as %s', (n, s) => {
    expect(num(n)).toBe(s);
  });

  it('writes elements, text and a document that parse', () => {
    expect(el('rect', { x: 1, fill: '#fff' })).toBe('<rect x="1" fill="#fff"/>');
    expect(text(1, 2, 'a<b', { fill: 'red' })).toBe('<text x="1" y="2" fill="red">a&lt;b</text>');
    const doc = svgDocument(100, 50, 'T & t', '#fff', [el('g', {}, [text(0, 0, 'x')])]);
    expect(parseXml(doc).children.map((c) => c.name)).toEqual(['title', 'rect', 'g']);
  });
});
