// The SVG charts of a report: what to draw and where each file goes, relative
// to the report, so the Markdown can link them and GitHub renders them.
import { bucketTable } from '../../core/analysis/buckets.js';
import type { CaptureAnalysis } from '../../core/analysis/capture.js';
import type { ReportModel } from '../../core/analysis/report-model.js';
import { categoryBarsSvg } from './svg/category-bars.js';
import { latencyHistogramSvg } from './svg/latency-histogram.js';

// One chart: its path relative to the report and its SVG text.
export interface ReportChart {
  readonly path: string;
  readonly svg: string;
}

// Where the report links its charts (relative paths); null: no charts written.
export interface ChartLinks {
  readonly categories: string | null;
  // by syscall
  readonly distributions: ReadonlyMap<string, string>;
}

// The folder of the charts of `report.md`: `report.md.assets` beside it.
export function assetsDirName(reportBaseName: string): string {
  return `${reportBaseName}.assets`;
}

// A file-name-safe syscall name.
function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

// The charts of a report (time by category, then one latency histogram per
// distribution section, log2 buckets), under `dir` (relative, '/'-separated).
export function reportCharts(analysis: CaptureAnalysis, model: ReportModel, dir: string): ReportChart[] {
  const charts: ReportChart[] = [];
  if (model.categories.length > 0) {
    charts.push({
      path: `${dir}/categories.svg`,
      svg: categoryBarsSvg(
        model.categories.map((c) => ({
          label: c.syscalls.length > 0 && c.syscalls.length <= 3 ? `${c.label} (${c.syscalls.join(', ')})` : c.label,
          calls: c.calls,
          totalNs: c.totalNs,
          share: c.share,
          waiting: c.waiting,
          bottleneck: c.bottleneck,
          onCpuNs: c.cpu === null ? null : c.cpu.onCpuNs,
        })),
      ),
    });
  }
  const bySyscall = new Map(analysis.aggregate.syscalls.map((s) => [s.name, s]));
  for (const d of model.distributions) {
    const s = bySyscall.get(d.syscall);
    if (s === undefined) continue;
    charts.push({ path: `${dir}/latency-${safe(d.syscall)}.svg`, svg: latencyHistogramSvg({ syscall: d.syscall, table: bucketTable(s, { kind: 'log2' }), modes: d.modes, row: d.row }) });
  }
  return charts;
}

// The links of a set of charts made by reportCharts.
export function chartLinks(charts: readonly ReportChart[], model: ReportModel, dir: string): ChartLinks {
  const paths = new Set(charts.map((c) => c.path));
  const categories = paths.has(`${dir}/categories.svg`) ? `${dir}/categories.svg` : null;
  const distributions = new Map<string, string>();
  for (const d of model.distributions) {
    const p = `${dir}/latency-${safe(d.syscall)}.svg`;
    if (paths.has(p)) distributions.set(d.syscall, p);
  }
  return { categories, distributions };
}
