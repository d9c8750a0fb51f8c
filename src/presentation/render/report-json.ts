// The --json output of `report`: the report model as one object, for scripts.
//
// { "format": "syscall-prof/report", "version": 1, "input", "meta": CaptureMeta,
//   "summary", "verdict", "rows", "omitted", "categories", "cpuSplits",
//   "findings": [ { "rule", "severity", "syscall", "title", "evidence", "why",
//                   "recommendation", "savingNs", "savingShare" } ],
//   "distributions": [ { "syscall", "table", "modes", "category", "modeWords", "row" } ],
//   "ioPatterns", "hotFiles", "threads", "processes" }
// The fields are analysis/report-model.ts's ReportModel, documented there; times
// are nanoseconds; numbers that are not finite become null.
import type { CaptureAnalysis } from '../../core/analysis/capture.js';
import type { ReportModel } from '../../core/analysis/report-model.js';

// Version of the object; bump on incompatible changes.
export const REPORT_JSON_VERSION = 1;

// The report model as JSON text, ending with a newline.
export function renderReportJson(input: string, analysis: CaptureAnalysis, model: ReportModel): string {
  const object = { format: 'syscall-prof/report', version: REPORT_JSON_VERSION, input, meta: analysis.meta, ...model };
  return `${JSON.stringify(object, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`;
}
