// The text output of `diff`: totals (also per call and per second), verdict,
// per-syscall changes with +/-% columns and what they mean (a significant
// regression with its test and p-value, more work at the same cost per call),
// waiting syscalls apart, per-category changes, and the findings that appeared
// or went away. Colours (when enabled) only mark meaning.
import {
  METRIC_TESTS,
  type CaptureDiff,
  type Change,
  type LatencyMetric,
  type LatencyTestName,
  type MetricJudgement,
  type SyscallDiff,
} from '../../core/analysis/diff.js';
import { CATEGORY_LABELS } from '../../core/model/categories.js';
import type { Palette, Paint } from './color.js';
import { findingText } from './findings/index.js';
import { ESTIMATE_MARK } from './latency-cells.js';
import { textTable, type Cell, type Column } from './text-table.js';
import { formatCount, formatDuration, formatPercent, formatRate } from './units.js';

// Title of the diff output.
export const DIFF_TITLE = 'Capture Diff';

// What to render: the diff and the two inputs as the user named them.
export interface DiffView {
  readonly beforeInput: string;
  readonly afterInput: string;
  readonly diff: CaptureDiff;
}

const SYSCALL_COLUMNS: readonly Column[] = [
  { title: 'Syscall', align: 'left' },
  { title: 'Calls', align: 'right' },
  { title: '±%', align: 'right' },
  { title: 'Total', align: 'right' },
  { title: '±%', align: 'right' },
  { title: 'Mean', align: 'right' },
  { title: '±%', align: 'right' },
  { title: 'p50', align: 'right' },
  { title: '±%', align: 'right' },
  { title: 'p99', align: 'right' },
  { title: '±%', align: 'right' },
  { title: '', align: 'left' },
];

// Short names of the tests, as the text cites them ("Mann-Whitney p=0.003").
export const TEST_SHORT_NAMES: Readonly<Record<LatencyTestName, string>> = { 'mann-whitney-u': 'Mann-Whitney', exceedance: 'exceedance' };

// What each test is, in the significance line and in --help.
export const TEST_DESCRIPTIONS: Readonly<Record<LatencyTestName, string>> = {
  'mann-whitney-u': 'Mann-Whitney U test',
  exceedance: "an exact exceedance test (after's calls above before's p99, 1% expected)",
};

const CATEGORY_COLUMNS: readonly Column[] = [
  { title: 'Category', align: 'left' },
  { title: 'Time', align: 'right' },
  { title: '±%', align: 'right' },
  { title: 'Share', align: 'right' },
  { title: '', align: 'left' },
];

// "+20.5%", "-3.1%", "0%", "209x" (ten times or more); "new" / "gone" when one
// side is missing; "-" when not comparable.
export function formatChange(c: Change): string {
  if (c.before === null && c.after !== null) return 'new';
  if (c.after === null && c.before !== null) return 'gone';
  if (c.ratio === null) return c.before === c.after ? '0%' : '-';
  if (c.ratio === 0) return '0%';
  // ten times or more: a multiple reads better than "+20910.6%"
  if (c.ratio >= 9) return `${formatCount(c.ratio + 1)}x`;
  const text = formatPercent(c.ratio);
  return c.ratio > 0 ? `+${text}` : text;
}

// "30 → 300" with a formatter for each side ("-" for a missing side).
export function beforeAfter(c: Change, format: (n: number) => string): string {
  const side = (n: number | null): string => (n === null ? '-' : format(n));
  return `${side(c.before)} → ${side(c.after)}`;
}

// "p<0.001", "p=0.003", "p=0.012", "p=0.21", "p=1".
export function formatPValue(p: number): string {
  if (p < 0.001) return 'p<0.001';
  return `p=${Number(p.toPrecision(p < 0.01 ? 1 : 2))}`;
}

// "×2.0", "×0.50", "×0.034", "×12" (after / before, from a Change's ratio).
export function formatFactor(ratio: number): string {
  const f = ratio + 1;
  return `×${f >= 10 ? formatCount(f) : f >= 1 ? f.toFixed(1) : f.toPrecision(2)}`;
}

// "p50, mean (Mann-Whitney p=0.003), p99 (exceedance p=0.01)": metrics by the test that judged them.
export function metricsWithTests(metrics: readonly LatencyMetric[], latency: readonly MetricJudgement[]): string {
  const parts: string[] = [];
  for (const test of [...new Set(metrics.map((m) => METRIC_TESTS[m]))]) {
    const names = metrics.filter((m) => METRIC_TESTS[m] === test);
    const p = latency.find((j) => j.metric === names[0])?.pValue ?? null;
    parts.push(`${names.join(', ')} (${TEST_SHORT_NAMES[test]}${p === null ? '' : ` ${formatPValue(p)}`})`);
  }
  return parts.join(', ');
}

// The whole text output, ending with a newline.
export function renderDiff(view: DiffView, p: Palette): string {
  const { diff } = view;
  const o = diff.options;
  const lines = [p.strong(DIFF_TITLE), p.dim('═'.repeat(52))];
  const facts: Array<[string, string]> = [
    ['Before', view.beforeInput],
    ['After', view.afterInput],
    ['Calls', `${beforeAfter(diff.calls, formatCount)} (${formatChange(diff.calls)})`],
    ['Syscall time', `${beforeAfter(diff.totalNs, formatDuration)} (${formatChange(diff.totalNs)})`],
    ['Duration', `${beforeAfter(diff.durationNs, formatDuration)}${diff.durationNs.ratio === null ? '' : ` (${formatChange(diff.durationNs)})`}`],
  ];
  if (diff.perCallNs.ratio !== null) facts.push(['Per call', `${beforeAfter(diff.perCallNs, formatDuration)} of syscall time (${formatChange(diff.perCallNs)})`]);
  if (diff.callsPerSec.ratio !== null && diff.timePerSec.ratio !== null) {
    facts.push([
      'Per second',
      `${beforeAfter(diff.callsPerSec, formatRate)} calls (${formatChange(diff.callsPerSec)}), ${beforeAfter(diff.timePerSec, formatDuration)} of syscall time (${formatChange(diff.timePerSec)})`,
    ]);
  }
  if (diff.verdict.before !== null || diff.verdict.after !== null) {
    facts.push(['Verdict', diff.verdict.changed ? `${diff.verdict.before ?? '-'} → ${diff.verdict.after ?? '-'} (changed)` : `${diff.verdict.after ?? '-'} (unchanged)`]);
  }
  const width = Math.max(...facts.map(([l]) => l.length)) + 2;
  for (const [label, value] of facts) lines.push(`${`${label}:`.padEnd(width)}${value}`);
  const summary = `${formatCount(diff.regressions)} significant regression${diff.regressions === 1 ? '' : 's'}, ${formatCount(diff.improvements)} improvement${diff.improvements === 1 ? '' : 's'}`;
  lines.push(`${'Changes:'.padEnd(width)}${diff.regressions > 0 ? p.bad(summary) : summary}`);
  lines.push(
    p.dim(`(significant: p < ${o.alpha}, a change of at least ${formatPercent(o.threshold)} and ${formatDuration(o.minDeltaNs)}, at least ${formatCount(o.minCalls)} calls on both sides;`),
    p.dim(` p50 and mean by the ${TEST_DESCRIPTIONS['mann-whitney-u']}, p99 by ${TEST_DESCRIPTIONS.exceedance})`),
  );
  if (diff.workBasis === 'rate') lines.push(p.dim(`(the captures ran ${beforeAfter(diff.durationNs, formatDuration)}, windows on running work: work is compared per second)`));

  const working = diff.syscalls.filter((s) => !s.waiting);
  const waiting = diff.syscalls.filter((s) => s.waiting);
  lines.push('', p.strong('Syscalls:'), p.dim('─'.repeat(52)));
  if (diff.syscalls.length === 0) lines.push('No syscalls in either capture.');
  else if (working.length === 0) lines.push('Only waiting syscalls (below).');
  else lines.push(...textTable(SYSCALL_COLUMNS, working.map((s) => syscallCells(s, p)), p.strong));

  if (waiting.length > 0) {
    lines.push('', p.strong('Waiting syscalls (idle time: a longer wait is not a slower call, never a regression):'), p.dim('─'.repeat(52)));
    lines.push(...textTable(SYSCALL_COLUMNS, waiting.map((s) => syscallCells(s, p)), p.strong));
  }
  if (diff.syscalls.some((s) => s.estimated)) lines.push(p.dim(`${ESTIMATE_MARK} percentiles estimated from in-kernel histograms on one side or both`));

  if (diff.categories.length > 0) {
    lines.push('', p.strong('Time by category:'), p.dim('─'.repeat(52)));
    const rows = diff.categories.map((c): Cell[] => {
      const share = c.waiting ? 'waiting' : beforeAfter(c.share, shareText);
      const mark = c.bottleneckBefore && c.bottleneckAfter ? 'bottleneck' : c.bottleneckAfter ? 'bottleneck (new)' : c.bottleneckBefore ? 'was the bottleneck' : '';
      return [CATEGORY_LABELS[c.category], beforeAfter(c.totalNs, formatDuration), formatChange(c.totalNs), share, mark === '' ? '' : { text: mark, paint: c.bottleneckAfter ? p.warn : p.dim }];
    });
    lines.push(...textTable(CATEGORY_COLUMNS, rows, p.strong));
  }

  lines.push('', p.strong('Findings:'), p.dim('─'.repeat(52)));
  if (diff.newFindings.length === 0 && diff.goneFindings.length === 0) lines.push('The same findings in both captures.');
  for (const f of diff.newFindings) lines.push(`${p.bad('+ new: ')} ${findingText(f).title} [${f.rule}]`);
  for (const f of diff.goneFindings) lines.push(`${p.ok('- gone:')} ${findingText(f).title} [${f.rule}]`);
  return `${lines.join('\n')}\n`;
}

// What a syscall's changes mean, in words: "REGRESSION p50 (Mann-Whitney
// p=0.003)", "more work (calls ×2.0, per-call unchanged)", "longer waits
// (Mann-Whitney p<0.001)"; '' when there is nothing to say.
export function syscallNote(s: SyscallDiff, p: Palette): Cell {
  const parts: Array<{ text: string; paint: Paint | null }> = [];
  const slower = s.latency.filter((j) => j.significant === 'slower').map((j) => j.metric);
  const faster = s.latency.filter((j) => j.significant === 'faster').map((j) => j.metric);
  if (s.waiting) {
    if (slower.length > 0) parts.push({ text: `longer waits: ${metricsWithTests(slower, s.latency)}`, paint: null });
    else if (faster.length > 0) parts.push({ text: `shorter waits: ${metricsWithTests(faster, s.latency)}`, paint: null });
  } else if (s.regression) parts.push({ text: `REGRESSION ${metricsWithTests(s.regressed, s.latency)}`, paint: p.bad });
  else if (s.improvement) parts.push({ text: `improved ${metricsWithTests(s.improved, s.latency)}`, paint: p.ok });
  else if (s.enoughCalls) {
    // a change big enough to matter that chance explains as well
    const unsure = s.latency.filter((j) => j.large && j.significant === null).map((j) => j.metric);
    if (unsure.length > 0) parts.push({ text: `not significant: ${metricsWithTests(unsure, s.latency)}`, paint: p.dim });
  }
  if (s.status === 'both' && (s.work.kind === 'more' || s.work.kind === 'less') && s.work.change.ratio !== null) {
    const unit = s.work.basis === 'rate' ? 'calls/s' : 'calls';
    const perCall = s.perCall === 'unchanged' ? ', per-call unchanged' : '';
    parts.push({ text: `${s.work.kind} work (${unit} ${formatFactor(s.work.change.ratio)}${perCall})`, paint: null });
  }
  if (parts.length === 0) return '';
  const text = parts.map((x) => x.text).join('; ');
  const paint = parts[0]!.paint;
  return paint === null ? text : { text, paint };
}

function syscallCells(s: SyscallDiff, p: Palette): Cell[] {
  const est = s.estimated ? ESTIMATE_MARK : '';
  const pct = (ns: number): string => `${est}${formatDuration(ns)}`;
  const paintIf = (text: string, metric: LatencyMetric): Cell => (s.regressed.includes(metric) ? { text, paint: p.bad } : s.improved.includes(metric) ? { text, paint: p.ok } : text);
  // new and gone syscalls say so in their ±% cells
  return [
    s.name,
    beforeAfter(s.count, formatCount),
    formatChange(s.count),
    beforeAfter(s.totalNs, formatDuration),
    formatChange(s.totalNs),
    beforeAfter(s.avgNs, formatDuration),
    paintIf(formatChange(s.avgNs), 'mean'),
    beforeAfter(s.p50Ns, pct),
    paintIf(formatChange(s.p50Ns), 'p50'),
    beforeAfter(s.p99Ns, pct),
    paintIf(formatChange(s.p99Ns), 'p99'),
    syscallNote(s, p),
  ];
}

// A share, "<0.1%" when it rounds to nothing.
function shareText(share: number): string {
  return share > 0 && share < 0.0005 ? '<0.1%' : formatPercent(share);
}
