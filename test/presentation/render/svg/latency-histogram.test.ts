import { describe, expect, it } from 'vitest';
import { bucketTable } from '../../../../src/core/analysis/buckets.js';
import { latencyRow } from '../../../../src/core/analysis/latency-rows.js';
import { findModes } from '../../../../src/core/analysis/modes.js';
import { latencyHistogramSvg, positionOf, type HistogramChart } from '../../../../src/presentation/render/svg/latency-histogram.js';
import { aggregateOf, callsOf } from '../../../helpers/offline.js';
import { allText, findAll, parseXml } from './xml.js';

// The chart of one syscall's calls, built the way the report builds it.
async function chartOf(syscall: string, durations: readonly number[]): Promise<HistogramChart> {
  const agg = await aggregateOf(callsOf(syscall, durations));
  const s = agg.syscalls.find((x) => x.name === syscall)!;
  return { syscall, table: bucketTable(s, { kind: 'log2' }), modes: findModes(s.distribution), row: latencyRow(s) };
}

const BIMODAL = [...Array<number>(90).fill(20_000), ...Array<number>(10).fill(5_000_000)];

describe('latencyHistogramSvg', () => {
  it('is well-formed XML with a size, a background and a title', async () => {
    const root = parseXml(latencyHistogramSvg(await chartOf('read', BIMODAL)));
    expect(root.name).toBe('svg');
    expect(root.attrs['xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(Number(root.attrs['width'])).toBeGreaterThan(0);
    expect(root.children[0]!.name).toBe('title');
    const bg = root.children[1]!;
    expect([bg.name, bg.attrs['width'], bg.attrs['height'], bg.attrs['fill']]).toEqual(['rect', root.attrs['width'], root.attrs['height'], '#ffffff']);
  });

  it('draws one bar per non-empty bucket, heights proportional to counts', async () => {
    const root = parseXml(latencyHistogramSvg(await chartOf('read', [...Array<number>(30).fill(1000), ...Array<number>(10).fill(3000), ...Array<number>(5).fill(100_000)])));
    const bars = findAll(root, (e) => e.attrs['class'] === 'bar');
    expect(bars.map((b) => Number(b.attrs['data-count']))).toEqual([30, 10, 5]);
    const h = bars.map((b) => Number(b.attrs['height']));
    expect(h[1]! / h[0]!).toBeCloseTo(10 / 30, 2);
    expect(h[2]! / h[0]!).toBeCloseTo(5 / 30, 2);
    // bars stand on the same baseline
    const bottoms = bars.map((b) => Number(b.attrs['y']) + Number(b.attrs['height']));
    expect(new Set(bottoms).size).toBe(1);
    // labels: counts and shares
    const t = allText(root);
    expect(t).toContain('66.7%');
    expect(t).toContain('22.2%');
    expect(t).toContain('11.1%');
  });

  it('marks p50 and p99 where they fall, and names them in the legend', async () => {
    const chart = await chartOf('read', BIMODAL);
    const root = parseXml(latencyHistogramSvg(chart));
    const p50 = findAll(root, (e) => e.attrs['class'] === 'marker-p50');
    const p99 = findAll(root, (e) => e.attrs['class'] === 'marker-p99');
    expect(p50).toHaveLength(1);
    expect(p99).toHaveLength(1);
    expect(Number(p99[0]!.attrs['x1'])).toBeGreaterThan(Number(p50[0]!.attrs['x1']));
    const t = allText(root);
    expect(t).toContain('p50 20.0 µs');
    expect(t).toContain('p99 5.0 ms');
  });

  it('shades the modes of a bimodal distribution and describes them', async () => {
    const root = parseXml(latencyHistogramSvg(await chartOf('read', BIMODAL)));
    expect(findAll(root, (e) => e.attrs['class'] === 'mode')).toHaveLength(2);
    expect(allText(root)).toContain('modes: 90% under 50 µs, 10% at 5 ms');
  });

  it('shades nothing for a single mode', async () => {
    const root = parseXml(latencyHistogramSvg(await chartOf('read', Array<number>(50).fill(20_000))));
    expect(findAll(root, (e) => e.attrs['class'] === 'mode')).toHaveLength(0);
  });

  it('is a valid "no calls" card for a syscall without calls', () => {
    const svg = latencyHistogramSvg({ syscall: 'fsync', table: { buckets: [], total: 0, estimated: false }, modes: { modes: [], multimodal: false }, row: null });
    const root = parseXml(svg);
    expect(allText(root)).toContain('fsync: no calls');
    expect(findAll(root, (e) => e.attrs['class'] === 'bar')).toHaveLength(0);
  });

  it('escapes text taken from the data', async () => {
    const chart = await chartOf('read', [1000, 2000]);
    const svg = latencyHistogramSvg({ ...chart, syscall: '<b>&"x"' });
    expect(svg).toContain('&lt;b&gt;&amp;&quot;x&quot;');
    expect(allText(parseXml(svg))).toContain('<b>&"x": latency distribution');
  });

  it('is deterministic', async () => {
    expect(latencyHistogramSvg(await chartOf('read', BIMODAL))).toBe(latencyHistogramSvg(await chartOf('read', BIMODAL)));
  });
});

describe('positionOf', () => {
  const buckets = [
    { lowNs: 1024, highNs: 2048, count: 1, share: 0.5 },
    { lowNs: 2048, highNs: 4096, count: 1, share: 0.5 },
  ];
  it.each([
    [1024, 0],
    [2048, 1],
    [Math.round(2048 * Math.SQRT2), 1.5],
    [100, 0],
    [10_000, 2],
  ])('puts %i ns at %f buckets', (ns, pos) => {
    expect(positionOf(buckets, ns)).toBeCloseTo(pos, 3);
  });
});
