// The --json output of `diff`: one stable object, documented here.
//
// {
//   "format": "syscall-prof/diff", "version": 2,
//   "before": { "input", "calls", "errors", "totalNs", "durationNs" },
//   "after":  { same },
//   "threshold": 0.1, "minDeltaNs": 100, "alpha": 0.01, "minCalls": 30,
//   "tests": { "p50": "mann-whitney-u", "mean": "mann-whitney-u", "p99": "exceedance" },
//   "perCallNs"|"callsPerSec"|"timePerSec": Change,     // syscall time per call; per second of capture
//   "workBasis": "calls"|"rate",                        // rate: the wall times differ by more than threshold
//   "verdict": { "before", "after", "changed" },       // kinds of analysis/verdict.ts, null when unknown
//   "regressions": number, "improvements": number,
//   "syscalls": [ { "name", "status": "both"|"new"|"gone", "waiting",
//                   "regression", "regressed": ["p50"|"mean"|"p99"], "improvement", "improved": [same],
//                   "perCall": "slower"|"faster"|"unchanged"|null, "estimated", "enoughCalls",
//                   "count"|"errors"|"totalNs"|"avgNs"|"p50Ns"|"p99Ns"|"callsPerSec"|"timePerSec": Change,
//                   "work": { "basis": "calls"|"rate", "change": Change, "kind": "more"|"less"|"same"|null },
//                   "latency": { "p50"|"mean"|"p99": { "test", "pValue": number|null, "large",
//                                                      "significant": "slower"|"faster"|null } },
//                   "tests": null | { "data": "calls"|"histogram",
//                      "mannWhitney": { "u", "z", "pValue", "superiority" },
//                      "exceedance": { "quantile", "thresholdLowNs", "thresholdHighNs", "beforeCalls",
//                                      "afterCalls", "expectedAbove", "afterAbove", "afterAtOrAbove",
//                                      "pValue" } } } ],
//   "categories": [ { "category", "waiting", "totalNs": Change, "share": Change,
//                     "bottleneckBefore", "bottleneckAfter" } ],
//   "newFindings": [ { "rule", "syscall", "title" } ], "goneFindings": [ same ]
// }
// Change = { "before": number|null, "after": number|null, "ratio": number|null }
// (ratio = (after - before) / before). Times are integer nanoseconds.
// "significant" is set for waiting syscalls too, where it is never a regression.
// Version 1 flagged a rise in total time (more calls) as a regression and
// carried no tests.
import { METRIC_TESTS, type CaptureDiff, type Change, type DiffFinding, type MetricJudgement, type SyscallDiff } from '../../core/analysis/diff.js';
import type { ExceedanceTest } from '../../core/analysis/latency-tests.js';
import { findingText } from './findings/index.js';

// Version of the object below; bump on incompatible changes.
export const DIFF_JSON_VERSION = 2;

// The JSON object of a diff.
export function diffJson(beforeInput: string, afterInput: string, d: CaptureDiff): Record<string, unknown> {
  return {
    format: 'syscall-prof/diff',
    version: DIFF_JSON_VERSION,
    before: { input: beforeInput, ...d.before },
    after: { input: afterInput, ...d.after },
    threshold: d.options.threshold,
    minDeltaNs: d.options.minDeltaNs,
    alpha: d.options.alpha,
    minCalls: d.options.minCalls,
    tests: METRIC_TESTS,
    perCallNs: ns(d.perCallNs),
    callsPerSec: d.callsPerSec,
    timePerSec: ns(d.timePerSec),
    workBasis: d.workBasis,
    verdict: d.verdict,
    regressions: d.regressions,
    improvements: d.improvements,
    syscalls: d.syscalls.map(syscallJson),
    categories: d.categories.map((c) => ({ ...c, totalNs: ns(c.totalNs) })),
    newFindings: d.newFindings.map(brief),
    goneFindings: d.goneFindings.map(brief),
  };
}

// The JSON as text, ending with a newline.
export function renderDiffJson(beforeInput: string, afterInput: string, d: CaptureDiff): string {
  return `${JSON.stringify(diffJson(beforeInput, afterInput, d), null, 2)}\n`;
}

function syscallJson(s: SyscallDiff): Record<string, unknown> {
  const judgement = (j: MetricJudgement): Record<string, unknown> => ({ test: j.test, pValue: j.pValue, large: j.large, significant: j.significant });
  return {
    name: s.name,
    status: s.status,
    waiting: s.waiting,
    regression: s.regression,
    regressed: s.regressed,
    improvement: s.improvement,
    improved: s.improved,
    perCall: s.perCall,
    estimated: s.estimated,
    enoughCalls: s.enoughCalls,
    count: s.count,
    errors: s.errors,
    totalNs: ns(s.totalNs),
    avgNs: ns(s.avgNs),
    p50Ns: ns(s.p50Ns),
    p99Ns: ns(s.p99Ns),
    callsPerSec: s.callsPerSec,
    timePerSec: ns(s.timePerSec),
    work: s.work,
    latency: Object.fromEntries(s.latency.map((j) => [j.metric, judgement(j)])),
    tests:
      s.tests === null
        ? null
        : {
            data: s.tests.data,
            mannWhitney: { u: s.tests.mannWhitney.u, z: s.tests.mannWhitney.z, pValue: s.tests.mannWhitney.pValue, superiority: s.tests.mannWhitney.superiority },
            exceedance: exceedanceJson(s.tests.exceedance),
          },
  };
}

function exceedanceJson(e: ExceedanceTest): Record<string, unknown> {
  return {
    quantile: e.quantile,
    thresholdLowNs: Math.round(e.thresholdLowNs),
    thresholdHighNs: Math.round(e.thresholdHighNs),
    beforeCalls: e.beforeCalls,
    afterCalls: e.afterCalls,
    expectedAbove: e.expectedAbove,
    afterAbove: e.afterAbove,
    afterAtOrAbove: e.afterAtOrAbove,
    pValue: e.pValue,
  };
}

function brief(f: DiffFinding): { rule: string; syscall: string | null; title: string } {
  return { rule: f.rule, syscall: f.syscall, title: findingText(f).title };
}

function ns(c: Change): Change {
  const r = (v: number | null): number | null => (v === null ? null : Math.round(v));
  return { before: r(c.before), after: r(c.after), ratio: c.ratio };
}
