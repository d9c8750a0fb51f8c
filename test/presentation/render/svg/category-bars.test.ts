import { describe, expect, it } from 'vitest';
import { categoryBarsSvg, type CategoryBar } from '../../../../src/presentation/render/svg/category-bars.js';
import { allText, findAll, parseXml } from './xml.js';

function bar(label: string, totalNs: number, over: Partial<CategoryBar> = {}): CategoryBar {
  return { label, calls: 10, totalNs, share: null, waiting: false, bottleneck: false, onCpuNs: null, ...over };
}

const BARS: CategoryBar[] = [
  bar('Disk sync (fsync)', 48_700_000_000, { share: 0.762, bottleneck: true }),
  bar('Disk read (read)', 8_200_000_000, { share: 0.128 }),
  bar('Disk write (write)', 3_200_000_000, { share: 0.05 }),
  bar('Waiting (epoll_wait)', 142_100_000_000, { waiting: true }),
];

describe('categoryBarsSvg', () => {
  it('is well-formed XML with its own background', () => {
    const root = parseXml(categoryBarsSvg(BARS));
    expect(root.name).toBe('svg');
    expect(root.children[1]!.attrs['fill']).toBe('#ffffff');
  });

  it('scales working bars to each other and marks the bottleneck', () => {
    const root = parseXml(categoryBarsSvg(BARS));
    const bars = findAll(root, (e) => (e.attrs['class'] ?? '').startsWith('bar'));
    expect(bars.map((b) => b.attrs['class'])).toEqual(['bar bottleneck', 'bar', 'bar', 'bar waiting']);
    const w = bars.map((b) => Number(b.attrs['width']));
    expect(w[1]! / w[0]!).toBeCloseTo(8.2 / 48.7, 2);
    expect(w[2]! / w[0]!).toBeCloseTo(3.2 / 48.7, 2);
    // waiting is on its own scale: its largest is full width, not 3x the bottleneck
    expect(w[3]).toBe(w[0]);
    expect(bars[0]!.attrs['fill']).not.toBe(bars[1]!.attrs['fill']);
    const t = allText(root);
    expect(t).toContain('← BOTTLENECK');
    expect(t).toContain('48.7 s (76.2%)');
    expect(t).toContain('Waiting, not working');
    expect(t).toContain('142 s');
  });

  it('splits a bar into on- and off-CPU time when known', () => {
    const root = parseXml(categoryBarsSvg([bar('Disk sync (fsync)', 100, { share: 1, bottleneck: true, onCpuNs: 25 })]));
    const rects = findAll(root, (e) => e.name === 'rect' && e.attrs['y'] === '64');
    expect(rects.map((r) => Number(r.attrs['width']))).toEqual([280, 70]);
    expect(allText(root)).toContain('off CPU');
  });

  it('is a valid "no calls" card for no categories', () => {
    const root = parseXml(categoryBarsSvg([]));
    expect(allText(root)).toContain('time by category: no calls');
  });

  it('escapes labels', () => {
    const svg = categoryBarsSvg([bar('a<&>"b', 5, { share: 1, bottleneck: true })]);
    expect(allText(parseXml(svg))).toContain('a<&>"b');
  });
});
