// The --json output of `report`: the report model as one object, for scripts.
//
// { "format": "syscall-prof/report", "version": 2, "input", "meta": CaptureMeta,
//   "summary", "verdict": { ...Verdict, "text": { "summary", "evidence" } },
//   "rows", "omitted", "categories" (each "cpu" split with its "text"),
//   "cpuSplits": [ { ...CpuSplit, "text" } ], "cpuSummary": { ...CpuSplitSummary, "text" } | null,
//   "findings": [ { "rule", "severity", "syscall", "alsoAbout"?, "subject", "metrics",
//                   "savingNs", "savingShare",
//                   "text": { "title", "evidence", "why", "recommendation" } } ],
//   "distributions": [ { "syscall", "table", "modes", "category", "modeLabels", "modeWords", "row" } ],
//   "ioPatterns", "hotFiles", "connections": { "groups": [ConnectionGroup], "omitted",
//   "connections", "unknownOrigin", "untracked", "foldedGroups" } | null, "threads", "processes",
//   "ioUring": the io_uring requests as in trace --json (render/json.ts), null when the capture has none }
// The data fields are core/analysis/report-model.ts's ReportModel, documented
// there and in the README ("report --json schema"); "text" fields are the words
// the Markdown report prints. Times are nanoseconds; numbers that are not
// finite become null.
import type { CaptureAnalysis } from '../../core/analysis/capture.js';
import type { CpuSplit } from '../../core/analysis/cpu-split.js';
import type { ReportModel } from '../../core/analysis/report-model.js';
import { cpuSplitText, cpuSummaryText } from './cpu-split-text.js';
import { findingText } from './findings/index.js';
import { jsonIoUring } from './json.js';
import { modeWords } from './mode-text.js';
import { verdictText } from './verdict-text.js';

// Version of the object; bump on incompatible changes (2: findings and the verdict are data, their words under "text").
export const REPORT_JSON_VERSION = 2;

// The report model as JSON text, ending with a newline.
export function renderReportJson(input: string, analysis: CaptureAnalysis, model: ReportModel): string {
  const split = (s: CpuSplit | null): unknown => (s === null ? null : { ...s, text: cpuSplitText(s) });
  const object = {
    format: 'syscall-prof/report',
    version: REPORT_JSON_VERSION,
    input,
    // the kernel's TCP figures are in "tcp" as rows; the raw histograms stay out
    meta: { ...analysis.meta, tcp: undefined },
    ...model,
    verdict: { ...model.verdict, text: verdictText(model.verdict) },
    categories: model.categories.map((c) => ({ ...c, cpu: split(c.cpu) })),
    cpuSplits: model.cpuSplits.map(split),
    cpuSummary: model.cpuSummary === null ? null : { ...model.cpuSummary, text: cpuSummaryText(model.cpuSummary) },
    findings: model.findings.map((f) => ({ ...f, text: findingText(f) })),
    distributions: model.distributions.map((d) => ({ ...d, modeWords: modeWords(d.modes.modes, d.modeLabels) })),
    ioUring: jsonIoUring(model.ioUring),
  };
  return `${JSON.stringify(object, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`;
}
