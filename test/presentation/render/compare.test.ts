// The compare renderers: structure, every level and capture named, charts
// valid SVG with one series per level, and the empty cases.
import { describe, expect, it } from 'vitest';
import type { CaptureAnalysis } from '../../../src/core/analysis/capture.js';
import { compareCaptures, type Comparison } from '../../../src/core/analysis/compare.js';
import { palette } from '../../../src/presentation/render/color.js';
import { compareCharts } from '../../../src/presentation/render/compare-charts.js';
import { renderCompareJson } from '../../../src/presentation/render/compare-json.js';
import { renderCompareMarkdown } from '../../../src/presentation/render/compare-markdown.js';
import { renderCompareText } from '../../../src/presentation/render/compare-text.js';
import { analysisOf, callsOf, logNormal } from '../../helpers/offline.js';
import { allText, findAll, parseXml } from './svg/xml.js';

const LABELS = ['baseline', 'medium', 'high'];
const INPUTS = ['base.spb', 'medium.spb', 'high.spb'];

async function levels(): Promise<{ comparison: Comparison; analyses: CaptureAnalysis[] }> {
  const analyses = await Promise.all(
    [1, 1.1, 3].map((f, k) =>
      analysisOf([
        ...callsOf('read', logNormal(400, 20_000 * f, 0.3, k + 1)),
        ...callsOf('fsync', logNormal(50, 2e6 * f, 0.2, k + 10), { startNs: 500_000 }),
        ...callsOf('epoll_wait', [1e8, 1e8], { startNs: 900_000 }),
      ]),
    ),
  );
  return { comparison: compareCaptures(analyses.map((analysis, k) => ({ label: LABELS[k]!, analysis })), { syscalls: null, top: 8, diff: {} }), analyses };
}

describe('compare renderers', () => {
  it('text: every level and capture named, one row per level in each syscall table, the slow level marked', async () => {
    const { comparison } = await levels();
    const text = renderCompareText({ comparison, inputs: INPUTS }, palette(false));
    for (const s of [...LABELS, ...INPUTS]) expect(text).toContain(s);
    const readTable = text.split('\n\n').find((b) => b.startsWith('read\n'))!;
    expect(readTable.split('\n')).toHaveLength(2 + LABELS.length);
    expect(readTable.split('\n')[4]).toMatch(/^high .*SLOWER p50/);
    expect(text).toContain('epoll_wait (waiting: latency is idle time)');
    expect(text).toContain('Mann-Whitney U');
  });

  it('markdown: headings, a table per syscall, the charts linked relatively', async () => {
    const { comparison, analyses } = await levels();
    const { links, charts } = compareCharts(comparison, analyses, 'cmp.md.assets');
    const md = renderCompareMarkdown(comparison, INPUTS, links);
    expect(md.startsWith('# Comparison: baseline, medium, high\n')).toBe(true);
    for (const s of INPUTS) expect(md).toContain(`\`${s}\``);
    for (const c of charts) expect(md).toContain(`](${c.path})`);
    expect(md).toContain('### read');
    expect(md).toContain('## Time by category');
    expect(md).toContain('## Findings across levels');
    const readRows = md.split('### read')[1]!.split('\n\n')[1]!.split('\n').filter((l) => l.startsWith('| '));
    expect(readRows).toHaveLength(2 + LABELS.length);
  });

  it('charts: valid SVG, one series per level', async () => {
    const { comparison, analyses } = await levels();
    const { charts } = compareCharts(comparison, analyses, 'd');
    expect(charts.map((c) => c.path)).toEqual(['d/latency.svg', 'd/distributions.svg', 'd/categories.svg']);
    for (const c of charts) {
      const root = parseXml(c.svg);
      expect(root.name).toBe('svg');
      for (const l of LABELS) expect(allText(root)).toContain(l);
    }
    const bars = findAll(parseXml(charts[0]!.svg), (e) => (e.attrs['class'] ?? '').startsWith('bar'));
    // 3 statistics x 3 syscalls x 3 levels
    expect(bars).toHaveLength(27);
    const lines = findAll(parseXml(charts[1]!.svg), (e) => e.name === 'polyline');
    expect(new Set(lines.map((l) => l.attrs['class']))).toEqual(new Set(['level-0', 'level-1', 'level-2']));
    // the high level's read line sits further right (slower) than the baseline's
    const meanX = (cls: string): number => {
      const pts = lines.find((l) => l.attrs['class'] === cls)!.attrs['points']!.split(' ').map((p) => p.split(',').map(Number));
      const inner = pts.slice(1, -1);
      const w = inner.reduce((n, [, y]) => n + (1000 - y!), 0);
      return inner.reduce((n, [x, y]) => n + x! * (1000 - y!), 0) / w;
    };
    expect(meanX('level-2')).toBeGreaterThan(meanX('level-0'));
  });

  it('json: the model with inputs, findings by level', async () => {
    const { comparison } = await levels();
    const j = JSON.parse(renderCompareJson(comparison, INPUTS)) as { inputs: string[]; levels: { label: string }[]; rows: { syscall: string }[] };
    expect(j.inputs).toEqual(INPUTS);
    expect(j.levels.map((l) => l.label)).toEqual(LABELS);
    expect(j.rows.map((r) => r.syscall)).toContain('read');
  });

  it('empty: no syscalls to compare, charts are cards', async () => {
    const a = await analysisOf([]);
    const b = await analysisOf([]);
    const comparison = compareCaptures([{ label: 'a', analysis: a }, { label: 'b', analysis: b }], { syscalls: null, top: 8, diff: {} });
    expect(renderCompareMarkdown(comparison, ['a.csv', 'b.csv'], null)).toContain('No syscalls to compare.');
    expect(renderCompareText({ comparison, inputs: ['a.csv', 'b.csv'] }, palette(false))).toContain('No findings at any level.');
    for (const c of compareCharts(comparison, [a, b], 'x').charts) expect(parseXml(c.svg).name).toBe('svg');
  });
});
