// The text table of `check`: one row per syscall with its calls, p50 and p99
// before and after, the verdict and the test that decided it.
import { MATTERS_SHARE, type CheckMetricResult, type CheckRate, type CheckResult, type CheckSyscall, type CheckVerdict } from '../../core/analysis/check.js';
import type { Palette, Paint } from './color.js';
import { formatChange, formatPValue, TEST_SHORT_NAMES } from './report-diff.js';
import { textTable, type Cell, type Column } from './text-table.js';
import { formatCalls, formatCount, formatDuration, formatPercent, formatRate } from './units.js';

// What a check shows besides its result: the capture names.
export interface CheckView {
  readonly baselineInputs: readonly string[];
  readonly currentInput: string;
  readonly check: CheckResult;
}

// The verdicts as the table and JUnit show them.
export const VERDICT_WORDS: Readonly<Record<CheckVerdict, string>> = {
  pass: 'PASS',
  regressed: 'REGRESSED',
  improved: 'IMPROVED',
  indeterminate: 'INDETERMINATE',
  'few-calls': 'not judged (few calls)',
  waiting: 'not judged (waiting)',
  new: 'new',
  gone: 'gone',
};

const COLUMNS: readonly Column[] = [
  { title: 'Syscall', align: 'left' },
  { title: 'Base calls', align: 'right' },
  { title: 'Calls', align: 'right' },
  { title: 'p50 before → after', align: 'right' },
  { title: 'p99 before → after', align: 'right' },
  { title: 'Verdict', align: 'left' },
  { title: 'Test', align: 'left' },
];

// The check as text: header lines, the table, a one-line summary.
export function renderCheck(view: CheckView, p: Palette): string {
  const c = view.check;
  const o = c.options;
  const lines = [
    `Baseline: ${view.baselineInputs.join(', ')} (${formatCalls(c.baselineCalls)})`,
    `Current:  ${view.currentInput} (${formatCalls(c.currentCalls)})`,
    `Allowed:  p50 +${formatPercent(o.maxP50Regression)}, p99 +${formatPercent(o.maxP99Regression)}; significance below ${o.alpha}, at least ${formatCalls(o.minCalls)} on each side`,
    '',
  ];
  if (c.syscalls.length === 0) {
    lines.push('No syscalls in either capture: nothing to check.');
  } else {
    const few = c.syscalls.filter((s) => s.verdict === 'few-calls');
    const listed = c.syscalls.filter((s) => s.verdict !== 'few-calls');
    if (listed.length > 0) lines.push(...textTable(COLUMNS, listed.map((s) => row(s, p)), p.strong));
    if (few.length > 0) {
      lines.push(
        p.dim(`${few.length} syscall${few.length === 1 ? '' : 's'} with fewer than ${formatCalls(o.minCalls)} and under ${formatPercent(MATTERS_SHARE)} of the syscall time, not judged: ${few.map((s) => s.name).join(', ')}`),
      );
    }
  }
  if (c.rate !== null) lines.push('', rateLine(c.rate, p));
  lines.push('', summary(c, p));
  return `${lines.join('\n')}\n`;
}

// "Calls/s: 12,000 → 8,000 (-33.3%), allowed -20%: REGRESSED".
function rateLine(r: CheckRate, p: Palette): string {
  const side = (x: number | null): string => (x === null ? 'unknown' : formatRate(x));
  const change = r.ratio === null ? '' : ` (${formatChange({ before: r.baselinePerSec, after: r.currentPerSec, ratio: r.ratio })})`;
  const verdict = r.regressed === null ? p.warn('not known (a duration is missing)') : r.regressed ? p.bad('REGRESSED') : p.ok('PASS');
  return `Calls/s:  ${side(r.baselinePerSec)} → ${side(r.currentPerSec)}${change}, allowed -${formatPercent(r.maxRegression)}: ${verdict}`;
}

// "1 regressed, 2 indeterminate, 5 passed, ...: FAIL" and the like.
function summary(c: CheckResult, p: Palette): string {
  const n = c.counts;
  const parts = [
    n.regressed > 0 ? `${n.regressed} regressed` : '',
    n.indeterminate > 0 ? `${n.indeterminate} indeterminate` : '',
    n.improved > 0 ? `${n.improved} improved` : '',
    n.pass > 0 ? `${n.pass} passed` : '',
    n['few-calls'] > 0 ? `${n['few-calls']} with few calls (not judged)` : '',
    n.waiting > 0 ? `${n.waiting} waiting (not judged)` : '',
    n.new > 0 ? `${n.new} new` : '',
    n.gone > 0 ? `${n.gone} gone` : '',
  ].filter((x) => x !== '');
  const outcome = c.exitCode === 1 ? p.bad('FAIL') : c.exitCode === 3 ? p.warn('INDETERMINATE') : p.ok('OK');
  return `${parts.length === 0 ? 'nothing judged' : parts.join(', ')}: ${outcome}`;
}

function row(s: CheckSyscall, p: Palette): Cell[] {
  return [
    s.name,
    s.verdict === 'new' ? '-' : formatCount(s.baselineCalls),
    s.verdict === 'gone' ? '-' : formatCount(s.currentCalls),
    metricCell(s.p50),
    metricCell(s.p99),
    { text: VERDICT_WORDS[s.verdict], paint: paintOf(s.verdict, p) },
    testCell(s),
  ];
}

// "20.0 µs → 40.1 µs (+100%)".
function metricCell(m: CheckMetricResult): string {
  const side = (ns: number | null): string => (ns === null ? '-' : formatDuration(ns));
  const base = `${side(m.beforeNs)} → ${side(m.afterNs)}`;
  return m.beforeNs === null || m.afterNs === null ? base : `${base} (${formatChange({ before: m.beforeNs, after: m.afterNs, ratio: m.ratio })})`;
}

// The test that decided (a regressed or improved metric first), with its p-value.
export function testCell(s: CheckSyscall): string {
  if (s.verdict === 'new' || s.verdict === 'gone' || s.verdict === 'few-calls') return '';
  const decisive = [s.p50, s.p99].filter((m) => m.regressed || (s.verdict === 'improved' && m.improved));
  const shown = decisive.length > 0 ? decisive : [s.p50, s.p99];
  return shown
    .filter((m) => m.pValue !== null)
    .map((m) => `${m.metric} ${TEST_SHORT_NAMES[m.test]} ${formatPValue(m.pValue!)}`)
    .join(', ');
}

function paintOf(v: CheckVerdict, p: Palette): Paint {
  if (v === 'regressed') return p.bad;
  if (v === 'indeterminate') return p.warn;
  if (v === 'pass' || v === 'improved') return p.ok;
  return p.dim;
}
