// The text output of `diff`: totals, verdict, per-syscall and per-category
// changes with +/-% columns, significant regressions marked, and the findings
// that appeared or went away. Colours (when enabled) only mark meaning.
import { type CaptureDiff, type Change, type SyscallDiff } from '../../core/analysis/diff.js';
import { CATEGORY_LABELS } from '../../core/model/categories.js';
import type { Palette, Paint } from './color.js';
import { findingText } from './findings/index.js';
import { ESTIMATE_MARK } from './latency-cells.js';
import { textTable, type Cell, type Column } from './text-table.js';
import { formatCount, formatDuration, formatPercent } from './units.js';

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
  { title: 'p50', align: 'right' },
  { title: '±%', align: 'right' },
  { title: 'p99', align: 'right' },
  { title: '±%', align: 'right' },
  { title: '', align: 'left' },
];

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

// The whole text output, ending with a newline.
export function renderDiff(view: DiffView, p: Palette): string {
  const { diff } = view;
  const lines = [p.strong(DIFF_TITLE), p.dim('═'.repeat(52))];
  const facts: Array<[string, string]> = [
    ['Before', view.beforeInput],
    ['After', view.afterInput],
    ['Calls', `${beforeAfter(diff.calls, formatCount)} (${formatChange(diff.calls)})`],
    ['Syscall time', `${beforeAfter(diff.totalNs, formatDuration)} (${formatChange(diff.totalNs)})`],
    ['Duration', `${beforeAfter(diff.durationNs, formatDuration)}${diff.durationNs.ratio === null ? '' : ` (${formatChange(diff.durationNs)})`}`],
  ];
  if (diff.verdict.before !== null || diff.verdict.after !== null) {
    facts.push(['Verdict', diff.verdict.changed ? `${diff.verdict.before ?? '-'} → ${diff.verdict.after ?? '-'} (changed)` : `${diff.verdict.after ?? '-'} (unchanged)`]);
  }
  const width = Math.max(...facts.map(([l]) => l.length)) + 2;
  for (const [label, value] of facts) lines.push(`${`${label}:`.padEnd(width)}${value}`);
  const rule = `p99 or total time up more than ${formatPercent(diff.options.threshold)}, at least ${formatCount(diff.options.minCalls)} calls on both sides`;
  const summary = `${formatCount(diff.regressions)} significant regression${diff.regressions === 1 ? '' : 's'}, ${formatCount(diff.improvements)} improvement${diff.improvements === 1 ? '' : 's'}`;
  lines.push(`${'Changes:'.padEnd(width)}${diff.regressions > 0 ? p.bad(summary) : summary}`);
  lines.push(p.dim(`(significant: ${rule})`));

  lines.push('', p.strong('Syscalls:'), p.dim('─'.repeat(52)));
  if (diff.syscalls.length === 0) lines.push('No syscalls in either capture.');
  else {
    lines.push(...textTable(SYSCALL_COLUMNS, diff.syscalls.map((s) => syscallCells(s, p)), p.strong));
    if (diff.syscalls.some((s) => s.estimated)) lines.push(p.dim(`${ESTIMATE_MARK} percentiles estimated from in-kernel histograms on one side or both`));
  }

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

function syscallCells(s: SyscallDiff, p: Palette): Cell[] {
  const est = s.estimated ? ESTIMATE_MARK : '';
  const pct = (ns: number): string => `${est}${formatDuration(ns)}`;
  const paintIf = (text: string, on: boolean, paint: Paint): Cell => (on ? { text, paint } : text);
  // new and gone syscalls say so in their ±% cells
  const mark = s.regression ? { text: `REGRESSION (${s.regressed.join(', ')})`, paint: p.bad } : s.improvement ? { text: 'improved', paint: p.ok } : '';
  return [
    s.name,
    beforeAfter(s.count, formatCount),
    formatChange(s.count),
    beforeAfter(s.totalNs, formatDuration),
    paintIf(formatChange(s.totalNs), s.regressed.includes('total'), p.bad),
    beforeAfter(s.p50Ns, pct),
    formatChange(s.p50Ns),
    beforeAfter(s.p99Ns, pct),
    paintIf(formatChange(s.p99Ns), s.regressed.includes('p99'), p.bad),
    mark,
  ];
}

// A share, "<0.1%" when it rounds to nothing.
function shareText(share: number): string {
  return share > 0 && share < 0.0005 ? '<0.1%' : formatPercent(share);
}
