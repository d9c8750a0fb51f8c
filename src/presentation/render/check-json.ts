// The --json output of `check`: one stable object, documented here.
//
// {
//   "format": "syscall-prof/check", "version": 1,
//   "baselines": [ "input", ... ], "current": "input",
//   "baselineCalls": number, "currentCalls": number,
//   "maxP50Regression": 0.2, "maxP99Regression": 0.2,   // allowed growth (0.2 = 20%)
//   "alpha": 0.01, "minCalls": 30, "minDeltaNs": 100,
//   "tests": { "p50": "mann-whitney-u", "p99": "exceedance" },
//   "exitCode": 0|1|3,                                    // 1 regressed, 3 indeterminate or nothing judged
//   "counts": { "pass", "regressed", "improved", "indeterminate", "few-calls", "waiting", "new", "gone" },
//   "rate": null | { "baselinePerSec", "currentPerSec", "ratio", "maxRegression", "regressed" },
//   "syscalls": [ { "name",
//                   "verdict": "pass"|"regressed"|"improved"|"indeterminate"|"few-calls"|"waiting"|"new"|"gone",
//                   "baselineCalls", "currentCalls", "estimated",
//                   "baselineShare", "currentShare",          // of the working syscall time, or null
//                   "p50"|"p99": { "test", "beforeNs": number|null, "afterNs": number|null,
//                                  "ratio": number|null, "pValue": number|null,
//                                  "significant": "slower"|"faster"|null,
//                                  "maxRegression", "regressed", "improved" } } ]
// }
// Syscalls are ordered regressed, indeterminate, improved, pass, few-calls, waiting, new,
// gone, then by name. Times are integer nanoseconds; ratio = (after - before) / before.
import type { CheckMetricResult, CheckSyscall } from '../../core/analysis/check.js';
import type { CheckView } from './check-text.js';

// Version of the object below; bump on incompatible changes.
export const CHECK_JSON_VERSION = 1;

// The JSON object of a check.
export function checkJson(view: CheckView): Record<string, unknown> {
  const c = view.check;
  return {
    format: 'syscall-prof/check',
    version: CHECK_JSON_VERSION,
    baselines: view.baselineInputs,
    current: view.currentInput,
    baselineCalls: c.baselineCalls,
    currentCalls: c.currentCalls,
    maxP50Regression: c.options.maxP50Regression,
    maxP99Regression: c.options.maxP99Regression,
    alpha: c.options.alpha,
    minCalls: c.options.minCalls,
    minDeltaNs: c.options.minDeltaNs,
    tests: { p50: 'mann-whitney-u', p99: 'exceedance' },
    exitCode: c.exitCode,
    counts: c.counts,
    rate: c.rate,
    syscalls: c.syscalls.map(syscallJson),
  };
}

// The JSON as text, ending with a newline.
export function renderCheckJson(view: CheckView): string {
  return `${JSON.stringify(checkJson(view), null, 2)}\n`;
}

function syscallJson(s: CheckSyscall): Record<string, unknown> {
  return {
    name: s.name,
    verdict: s.verdict,
    baselineCalls: s.baselineCalls,
    currentCalls: s.currentCalls,
    estimated: s.estimated,
    baselineShare: s.baselineShare,
    currentShare: s.currentShare,
    p50: metricJson(s.p50),
    p99: metricJson(s.p99),
  };
}

function metricJson(m: CheckMetricResult): Record<string, unknown> {
  const r = (v: number | null): number | null => (v === null ? null : Math.round(v));
  return {
    test: m.test,
    beforeNs: r(m.beforeNs),
    afterNs: r(m.afterNs),
    ratio: m.ratio,
    pValue: m.pValue,
    significant: m.significant,
    maxRegression: m.maxRegression,
    regressed: m.regressed,
    improved: m.improved,
  };
}
