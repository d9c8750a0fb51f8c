// The --json output of `histogram`: one stable object, documented here.
//
// {
//   "format": "syscall-prof/histogram", "version": 1,
//   "input": string, "syscall": string,
//   "buckets": "default" | "log2" | "custom",
//   "count": number,                  // calls of the syscall
//   "estimated": bool,                // counts split across edges by interpolation (aggregate captures)
//   "stats": Row | null,              // as in syscall-prof/analyze; null when count is 0
//   "histogram": [ { "label": "10-50 µs", "lowNs": number | null, "highNs": number | null,
//                    "count": number, "share": number } ],   // lowNs <= latency < highNs; null: open
//   "multimodal": bool,
//   "modes": [ { "count", "share", "lowNs", "highNs", "peakNs" } ],  // lowest first; low/high: 1st/99th percentile
//   "modesText": string | null        // "95% under 100 µs, 5% at 1-10 ms" when multimodal
// }
import type { BucketSpec, BucketTable } from '../../core/analysis/buckets.js';
import type { LatencyRow } from '../../core/analysis/latency-rows.js';
import type { ModeAnalysis } from '../../core/analysis/modes.js';
import { jsonRow } from './analyze-json.js';
import { describeModes } from './mode-text.js';
import { bucketLabel } from './span.js';

// Version of the object below; bump on incompatible changes.
export const HISTOGRAM_JSON_VERSION = 1;

// What the JSON describes.
export interface HistogramJsonView {
  readonly input: string;
  readonly syscall: string;
  readonly spec: BucketSpec;
  readonly table: BucketTable;
  readonly modes: ModeAnalysis;
  readonly row: LatencyRow | null;
}

// The JSON object of one syscall's histogram.
export function histogramJson(v: HistogramJsonView): Record<string, unknown> {
  return {
    format: 'syscall-prof/histogram',
    version: HISTOGRAM_JSON_VERSION,
    input: v.input,
    syscall: v.syscall,
    buckets: v.spec.kind === 'edges' ? 'custom' : v.spec.kind,
    count: v.table.total,
    estimated: v.table.estimated,
    stats: v.row === null ? null : jsonRow(v.row),
    histogram: v.table.buckets.map((b) => ({ label: bucketLabel(b.lowNs, b.highNs), ...b })),
    multimodal: v.modes.multimodal,
    modes: v.modes.modes,
    modesText: v.modes.multimodal ? describeModes(v.modes.modes) : null,
  };
}

// The JSON text, ending with a newline.
export function renderHistogramJson(v: HistogramJsonView): string {
  return `${JSON.stringify(histogramJson(v), null, 2)}\n`;
}
