// The --json output of `diff`: one stable object, documented here.
//
// {
//   "format": "syscall-prof/diff", "version": 1,
//   "before": { "input", "calls", "errors", "totalNs", "durationNs" },
//   "after":  { same },
//   "threshold": 0.2, "minCalls": 30,
//   "verdict": { "before", "after", "changed" },       // kinds of analysis/verdict.ts, null when unknown
//   "regressions": number, "improvements": number,
//   "syscalls": [ { "name", "status": "both"|"new"|"gone", "regression", "regressed": ["p99"|"total"],
//                   "improvement", "estimated",
//                   "count"|"errors"|"totalNs"|"avgNs"|"p50Ns"|"p99Ns": Change } ],
//   "categories": [ { "category", "waiting", "totalNs": Change, "share": Change,
//                     "bottleneckBefore", "bottleneckAfter" } ],
//   "newFindings": [ { "rule", "syscall", "title" } ], "goneFindings": [ same ]
// }
// Change = { "before": number|null, "after": number|null, "ratio": number|null }
// (ratio = (after - before) / before). Times are integer nanoseconds.
import type { CaptureDiff, Change, DiffFinding } from '../../core/analysis/diff.js';
import { findingText } from './findings/index.js';

// Version of the object below; bump on incompatible changes.
export const DIFF_JSON_VERSION = 1;

// The JSON object of a diff.
export function diffJson(beforeInput: string, afterInput: string, d: CaptureDiff): Record<string, unknown> {
  return {
    format: 'syscall-prof/diff',
    version: DIFF_JSON_VERSION,
    before: { input: beforeInput, ...d.before },
    after: { input: afterInput, ...d.after },
    threshold: d.options.threshold,
    minCalls: d.options.minCalls,
    verdict: d.verdict,
    regressions: d.regressions,
    improvements: d.improvements,
    syscalls: d.syscalls.map((s) => ({
      name: s.name,
      status: s.status,
      regression: s.regression,
      regressed: s.regressed,
      improvement: s.improvement,
      estimated: s.estimated,
      count: s.count,
      errors: s.errors,
      totalNs: ns(s.totalNs),
      avgNs: ns(s.avgNs),
      p50Ns: ns(s.p50Ns),
      p99Ns: ns(s.p99Ns),
    })),
    categories: d.categories.map((c) => ({ ...c, totalNs: ns(c.totalNs) })),
    newFindings: d.newFindings.map(brief),
    goneFindings: d.goneFindings.map(brief),
  };
}

// The JSON as text, ending with a newline.
export function renderDiffJson(beforeInput: string, afterInput: string, d: CaptureDiff): string {
  return `${JSON.stringify(diffJson(beforeInput, afterInput, d), null, 2)}\n`;
}

function brief(f: DiffFinding): { rule: string; syscall: string | null; title: string } {
  return { rule: f.rule, syscall: f.syscall, title: findingText(f).title };
}

function ns(c: Change): Change {
  const r = (v: number | null): number | null => (v === null ? null : Math.round(v));
  return { before: r(c.before), after: r(c.after), ratio: c.ratio };
}
