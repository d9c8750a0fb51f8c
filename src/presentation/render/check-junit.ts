// The JUnit XML of `check` (--junit FILE): one testsuite "syscall-prof check",
// one testcase per judged syscall (classname "syscall"), a <failure> for a
// regression, <skipped> for an indeterminate one; passed and improved
// syscalls are plain testcases (an improvement is said in system-out).
// Waiting, new and gone syscalls are not testcases.
import { JUDGED_VERDICTS, type CheckMetricResult, type CheckSyscall } from '../../core/analysis/check.js';
import type { CheckView } from './check-text.js';
import { testCell } from './check-text.js';
import { formatChange } from './report-diff.js';
import { escapeXml } from './svg/svg.js';
import { formatCount, formatDuration, formatPercent } from './units.js';

// The name of the test suite.
export const JUNIT_SUITE = 'syscall-prof check';

// The JUnit XML document, ending with a newline.
export function renderCheckJunit(view: CheckView): string {
  const judged = view.check.syscalls.filter((s) => JUDGED_VERDICTS.includes(s.verdict));
  const failures = judged.filter((s) => s.verdict === 'regressed').length;
  const skipped = judged.filter((s) => s.verdict === 'indeterminate').length;
  const suite = `name="${xml(JUNIT_SUITE)}" tests="${judged.length}" failures="${failures}" errors="0" skipped="${skipped}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${suite}>`,
    `  <testsuite ${suite}>`,
    '    <properties>',
    ...view.baselineInputs.map((b) => `      <property name="baseline" value="${xml(b)}"/>`),
    `      <property name="current" value="${xml(view.currentInput)}"/>`,
    '    </properties>',
    ...judged.flatMap(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(s: CheckSyscall): string[] {
  const open = `    <testcase classname="syscall" name="${xml(s.name)}">`;
  const body = `${metricLine(s.p50)}; ${metricLine(s.p99)}; calls ${formatCount(s.baselineCalls)} → ${formatCount(s.currentCalls)}; ${testCell(s)}`;
  if (s.verdict === 'regressed') {
    const which = [s.p50, s.p99].filter((m) => m.regressed).map((m) => `${m.metric} ${formatChange(change(m))} (allowed +${formatPercent(m.maxRegression)})`);
    return [open, `      <failure message="${xml(`${s.name} regressed: ${which.join(', ')}`)}" type="regression">${xml(body)}</failure>`, '    </testcase>'];
  }
  if (s.verdict === 'indeterminate') {
    return [open, `      <skipped message="${xml(`too few calls to decide (${formatCount(s.baselineCalls)} in the baseline, ${formatCount(s.currentCalls)} now)`)}"/>`, '    </testcase>'];
  }
  const word = s.verdict === 'improved' ? 'improved' : 'pass';
  return [open, `      <system-out>${xml(`${word}: ${body}`)}</system-out>`, '    </testcase>'];
}

// "p50 20.0 µs → 40.0 µs (+100%)".
function metricLine(m: CheckMetricResult): string {
  return `${m.metric} ${formatDuration(m.beforeNs)} → ${formatDuration(m.afterNs)} (${formatChange(change(m))})`;
}

function change(m: CheckMetricResult): { before: number | null; after: number | null; ratio: number | null } {
  return { before: m.beforeNs, after: m.afterNs, ratio: m.ratio };
}

// Escaped, without the control characters XML 1.0 cannot carry.
function xml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return escapeXml(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '?'));
}
