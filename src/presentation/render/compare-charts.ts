// The SVG charts of a comparison and where each goes, relative to the
// Markdown, so it can link them: latency per syscall across levels, the
// distributions overlaid, time by category per level.
import { bucketTable, log2Edges } from '../../core/analysis/buckets.js';
import type { CaptureAnalysis } from '../../core/analysis/capture.js';
import type { Comparison } from '../../core/analysis/compare.js';
import type { ReportChart } from './report-charts.js';
import { levelBarsSvg } from './svg/level-bars.js';
import { levelCategoriesSvg } from './svg/level-categories.js';
import { levelDistributionsSvg, type DistributionPoint } from './svg/level-distributions.js';

// The distributions drawn: the first syscalls of the comparison, at most this many.
export const COMPARE_DISTRIBUTIONS = 4;

// Where the Markdown links the charts (relative paths).
export interface CompareChartLinks {
  readonly latency: string;
  readonly distributions: string;
  readonly categories: string;
}

// The charts under `dir` (relative, '/'-separated) and their links.
export function compareCharts(c: Comparison, analyses: readonly CaptureAnalysis[], dir: string): { readonly charts: ReportChart[]; readonly links: CompareChartLinks } {
  const labels = c.levels.map((l) => l.label);
  const links: CompareChartLinks = { latency: `${dir}/latency.svg`, distributions: `${dir}/distributions.svg`, categories: `${dir}/categories.svg` };
  const groups = c.rows.map((r) => ({
    syscall: r.syscall,
    avgNs: r.levels.map((s) => s?.avgNs ?? null),
    p99Ns: r.levels.map((s) => s?.p99Ns ?? null),
    maxNs: r.levels.map((s) => s?.maxNs ?? null),
  }));
  const distributions = c.rows.slice(0, COMPARE_DISTRIBUTIONS).map((r) => ({ syscall: r.syscall, levels: levelBuckets(r.syscall, analyses) }));
  const categories = c.categories.filter((x) => !x.waiting).map((x) => ({ label: x.label, totalNs: x.totalNs }));
  return {
    charts: [
      { path: links.latency, svg: levelBarsSvg(labels, groups) },
      { path: links.distributions, svg: levelDistributionsSvg(labels, distributions) },
      { path: links.categories, svg: levelCategoriesSvg(labels, categories) },
    ],
    links,
  };
}

// Each level's share of calls per power-of-two bucket, on edges common to all levels.
function levelBuckets(syscall: string, analyses: readonly CaptureAnalysis[]): DistributionPoint[][] {
  const found = analyses.map((a) => a.aggregate.syscalls.find((s) => s.name === syscall && s.count > 0) ?? null);
  const present = found.filter((s) => s !== null);
  if (present.length === 0) return analyses.map(() => []);
  const edges = log2Edges(Math.min(...present.map((s) => s.minNs ?? 1)), Math.max(...present.map((s) => s.maxNs ?? 1)));
  return found.map((s) => {
    if (s === null || edges.length < 2) return [];
    return bucketTable(s, { kind: 'edges', edgesNs: edges })
      .buckets.filter((b) => b.lowNs !== null && b.highNs !== null)
      .map((b) => ({ lowNs: b.lowNs!, highNs: b.highNs!, share: b.share }));
  });
}
