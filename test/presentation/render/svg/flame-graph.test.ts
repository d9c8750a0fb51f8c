// The flame graph of a syscall's slow-call time by stack: well-formed SVG,
// frames as wide as their time, the outermost at the bottom, an empty card without stacks.
import { describe, expect, it } from 'vitest';
import { flameGraphSvg } from '../../../../src/presentation/render/svg/flame-graph.js';
import { parseXml, type XmlElement } from '../../../helpers/xml.js';

function frames(svg: string): Map<string, { x: number; y: number; width: number }> {
  const out = new Map<string, { x: number; y: number; width: number }>();
  const walk = (e: XmlElement): void => {
    if (e.name === 'g' && e.children[0]?.name === 'title' && e.children[1]?.name === 'rect') {
      const r = e.children[1]!.attrs;
      out.set(e.children[0]!.text.replace(/ \(.*\)$/, ''), { x: Number(r['x']), y: Number(r['y']), width: Number(r['width']) });
    }
    e.children.forEach(walk);
  };
  walk(parseXml(svg));
  return out;
}

describe('flameGraphSvg', () => {
  it('draws each frame as wide as the time under it, callers below callees', () => {
    const svg = flameGraphSvg({
      syscall: 'fsync',
      subtitle: '4 calls slow, 40 ms',
      stacks: [
        { names: ['main', 'commit', 'fsync'], valueNs: 30e6 },
        { names: ['main', 'checkpoint<&>', 'fsync'], valueNs: 10e6 },
      ],
    });
    const f = frames(svg);
    expect(f.get('main')!.width).toBe(940);
    expect(f.get('commit')!.width).toBe(705);
    expect(f.get('checkpoint<&>')!.width).toBe(235);
    expect(f.get('main')!.y).toBeGreaterThan(f.get('commit')!.y);
    expect(f.get('checkpoint<&>')!.x + f.get('checkpoint<&>')!.width).toBeLessThanOrEqual(f.get('commit')!.x + 0.01);
  });

  it('is a card saying so when no stack has time', () => {
    const svg = flameGraphSvg({ syscall: 'read', subtitle: '', stacks: [] });
    expect(parseXml(svg).name).toBe('svg');
    expect(svg).toContain('read: no stacks of slow calls');
  });
});
