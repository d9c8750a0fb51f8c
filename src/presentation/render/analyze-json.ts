// The --json output of `analyze`: one stable object, documented here.
//
// {
//   "format": "syscall-prof/analyze", "version": 1,
//   "input": string,                       // the file as named on the command line
//   "capture": { "backend", "arch", "target", "startRealNs": string,
//                "durationNs": number | null, "lostEvents",
//                "filters": { "syscalls": string[] | null, "minDurationNs", "failedOnly" } },
//   "source": "events" | "profile",        // profile: aggregate capture, percentiles estimated
//   "durationNs": number | null,           // capture duration, else the span of its calls
//   "totals": { "calls", "errors", "totalNs", "distinctSyscalls", "callsPerSecond": number | null },
//   "syscalls": [ Row ],                   // by totalNs descending, at most --top
//   "omittedSyscalls": number,             // rows cut by --top
//   "processes": [ { "pid", "comm", "calls", "errors", "totalNs" } ],          // by totalNs descending
//   "threads": [ { "pid", "tid", "comm", "calls", "errors", "totalNs" } ],     // [] for aggregate captures
//   "categories": [ { "category", "label", "waiting": bool, "calls", "totalNs",
//                     "share": number | null,  // of non-waiting time; null for waiting
//                     "bottleneck": bool, "syscalls": string[],
//                     "offCpuNs", "runqNs": number | null } ],   // null: no on/off-CPU split
//   "cpuSplits": [ { "name", "totalNs", "offCpuNs", "blockedNs", "runqNs", "onCpuNs" } ],  // per syscall, [] without
//   "cpuSummary": { "totalNs", "blockedNs", "runqNs", "onCpuNs", "dominant": "blocked" | "cpu-starved" | "on-cpu",
//                   "text" } | null,
//   "ioUring": { ... } | null      // io_uring requests as in trace --json (render/json.ts); null: not in the capture
// }
// Row = { "name", "count", "errors", "errnos": [ { "errno": "ENOENT", "count" } ],
//         "totalNs", "avgNs", "minNs", "p50Ns", "p90Ns", "p95Ns", "p99Ns", "maxNs",
//         "estimated": bool,            // percentiles and minNs from coarse histograms
//         "percentileError": number }   // worst relative error of the percentiles
// Latency fields are integer nanoseconds, null when count is 0; shares are ratios (0..1).
import { captureCategoryTimes, type CaptureAnalysis } from '../../core/analysis/capture.js';
import { captureTotals } from '../../core/analysis/capture-totals.js';
import { cpuSplitSummary, syscallCpuSplits } from '../../core/analysis/cpu-split.js';
import { latencyRows, type LatencyRow } from '../../core/analysis/latency-rows.js';
import { topRows } from '../../core/analysis/top.js';
import { CATEGORY_LABELS } from '../../core/model/categories.js';
import { cpuSummaryText } from './cpu-split-text.js';
import { jsonIoUring } from './json.js';

// Version of the object below; bump on incompatible changes.
export const ANALYZE_JSON_VERSION = 1;

// The JSON object of an analysed capture.
export function analyzeJson(input: string, analysis: CaptureAnalysis, top: number | null): Record<string, unknown> {
  const { meta, aggregate, durationNs } = analysis;
  const { rows, omitted } = topRows(latencyRows(aggregate), top);
  const summary = cpuSplitSummary(syscallCpuSplits(aggregate));
  return {
    format: 'syscall-prof/analyze',
    version: ANALYZE_JSON_VERSION,
    input,
    capture: {
      backend: meta.backend,
      arch: meta.arch,
      target: meta.target,
      startRealNs: meta.startRealNs,
      durationNs: meta.durationNs,
      lostEvents: meta.lostEvents,
      filters: meta.filters,
    },
    source: aggregate.source,
    durationNs,
    totals: captureTotals(aggregate, durationNs),
    syscalls: rows.map(jsonRow),
    omittedSyscalls: omitted,
    processes: aggregate.processes,
    threads: aggregate.threads,
    categories: captureCategoryTimes(analysis).map(({ category, ...rest }) => ({ category, label: CATEGORY_LABELS[category], ...rest })),
    cpuSplits: syscallCpuSplits(aggregate),
    cpuSummary: summary === null ? null : { ...summary, text: cpuSummaryText(summary) },
    // as in trace --json (render/json.ts); null when the capture does not carry io_uring
    ioUring: jsonIoUring(analysis.ioUring),
  };
}

// The JSON text, ending with a newline.
export function renderAnalyzeJson(input: string, analysis: CaptureAnalysis, top: number | null): string {
  return `${JSON.stringify(analyzeJson(input, analysis, top), null, 2)}\n`;
}

// A row with integer latencies.
export function jsonRow(r: LatencyRow): LatencyRow {
  const round = (v: number | null): number | null => (v === null ? null : Math.round(v));
  return {
    ...r,
    avgNs: round(r.avgNs),
    minNs: round(r.minNs),
    p50Ns: round(r.p50Ns),
    p90Ns: round(r.p90Ns),
    p95Ns: round(r.p95Ns),
    p99Ns: round(r.p99Ns),
    maxNs: round(r.maxNs),
  };
}
