// The SVG charts of a report: what to draw and where each file goes, relative
// to the report, so the Markdown can link them and GitHub renders them.
import { bucketTable } from '../../core/analysis/buckets.js';
import type { CaptureAnalysis } from '../../core/analysis/capture.js';
import type { ReportModel } from '../../core/analysis/report-model.js';
import { categoryBarsSvg } from './svg/category-bars.js';
import { latencyHistogramSvg } from './svg/latency-histogram.js';
import { flameGraphSvg } from './svg/flame-graph.js';
import { stackSections, STACK_SYSCALLS_SHOWN } from '../../core/analysis/stacks.js';
import { formatCalls, formatDuration } from './units.js';

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
  // flame graphs of the slow calls' stacks, by syscall (absent: none)
  readonly flames?: ReadonlyMap<string, string>;
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
  // every stack of each syscall the stacks section shows, not only its top ones
  const stacks = analysis.stacks ?? null;
  if (stacks !== null) {
    for (const s of stackSections(stacks, STACK_SYSCALLS_SHOWN, null)) {
      charts.push({
        path: `${dir}/${flamePath(s.syscall)}`,
        svg: flameGraphSvg({ syscall: s.syscall, subtitle: `${formatCalls(s.calls)} slow, ${formatDuration(s.totalNs)}`, stacks: s.stacks.map((r) => ({ names: r.names, valueNs: r.totalNs })) }),
      });
    }
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
  const flames = new Map<string, string>();
  for (const s of model.stacks?.sections ?? []) {
    const p = `${dir}/${flamePath(s.syscall)}`;
    if (paths.has(p)) flames.set(s.syscall, p);
  }
  return { categories, distributions, flames };
}

// a flame graph's file name in the charts folder
function flamePath(syscall: string): string {
  return `flame-${safe(syscall)}.svg`;
}
