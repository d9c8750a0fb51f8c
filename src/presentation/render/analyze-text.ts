// The text output of `analyze`: capture facts, the per-syscall latency table,
// time by category (as the report shows it), the top processes.
import { captureCategoryTimes, type CaptureAnalysis } from '../../core/analysis/capture.js';
import type { CategoryTime } from '../../core/analysis/category-times.js';
import { cpuSplit, cpuSplitSummary, syscallCpuSplits } from '../../core/analysis/cpu-split.js';
import { latencyRows } from '../../core/analysis/latency-rows.js';
import { CATEGORY_LABELS } from '../../core/model/categories.js';
import { topRows } from '../../core/analysis/top.js';
import { captureFacts, captureWarnings } from './capture-facts.js';
import { cpuSummaryText } from './cpu-split-text.js';
import type { Palette } from './color.js';
import { renderIoUringTable } from './io-uring-table.js';
import { errorsCell, estimateNote, LATENCY_TITLES, latencyCells } from './latency-cells.js';
import { textTable, type Cell, type Column } from './text-table.js';
import { formatCount, formatDuration, formatPercent } from './units.js';

// Title of the analyze output.
export const ANALYZE_TITLE = 'Syscall Analysis';

// How many processes the text lists (JSON has them all).
export const PROCESSES_SHOWN = 10;

const COLUMNS: readonly Column[] = LATENCY_TITLES.map((title, i) => ({ title, align: i === 0 ? 'left' : 'right' }));

const PROCESS_COLUMNS: readonly Column[] = [
  { title: 'PID', align: 'right' },
  { title: 'Command', align: 'left' },
  { title: 'Calls', align: 'right' },
  { title: 'Errors', align: 'right' },
  { title: 'Total', align: 'right' },
];

// What to render.
export interface AnalyzeView {
  // the input as the user named it
  readonly input: string;
  readonly analysis: CaptureAnalysis;
  // rows to show; null for all
  readonly top: number | null;
}

// The whole text output, ending with a newline.
export function renderAnalyze(view: AnalyzeView, p: Palette): string {
  const { analysis } = view;
  const facts = captureFacts(view.input, analysis);
  const width = Math.max(...facts.map(([label]) => label.length)) + 2;
  const lines = [p.strong(ANALYZE_TITLE), p.dim('═'.repeat(52))];
  for (const [label, value] of facts) lines.push(`${`${label}:`.padEnd(width)}${value}`);
  for (const w of captureWarnings(analysis.meta)) lines.push(p.warn(`! ${w}`));

  lines.push('', p.strong('Syscall Summary:'), p.dim('─'.repeat(52)));
  const all = latencyRows(analysis.aggregate);
  if (all.length === 0) {
    lines.push('No syscalls in this capture.');
    return `${lines.join('\n')}\n`;
  }
  const { rows, omitted } = topRows(all, view.top);
  const cells = rows.map((r): Cell[] => {
    const c: Cell[] = latencyCells(r);
    if (r.errors > 0) c[2] = { text: errorsCell(r), paint: p.bad };
    return c;
  });
  lines.push(...textTable(COLUMNS, cells, p.strong));
  if (omitted > 0) lines.push(p.dim(`... and ${formatCount(omitted)} more syscalls (see --top)`));
  const note = estimateNote(rows);
  if (note !== null) lines.push(p.dim(note));

  lines.push('', ...categoryLines(captureCategoryTimes(analysis), p));
  const inside = cpuSplitSummary(syscallCpuSplits(analysis.aggregate));
  if (inside !== null) lines.push('', `${p.strong('Inside syscalls:')} ${cpuSummaryText(inside)}`);
  const uring = renderIoUringTable(analysis.ioUring, p);
  if (uring.length > 0) lines.push('', ...uring);

  const procs = analysis.aggregate.processes;
  if (procs.length > 1) {
    lines.push('', p.strong('Processes:'), p.dim('─'.repeat(52)));
    const shown = procs.slice(0, PROCESSES_SHOWN);
    lines.push(
      ...textTable(
        PROCESS_COLUMNS,
        shown.map((pr) => [String(pr.pid), pr.comm === '' ? '?' : pr.comm, formatCount(pr.calls), formatCount(pr.errors), formatDuration(pr.totalNs)]),
        p.strong,
      ),
    );
    if (procs.length > shown.length) lines.push(p.dim(`... and ${formatCount(procs.length - shown.length)} more processes (see --json)`));
  }
  return `${lines.join('\n')}\n`;
}

// Time by category as the report shows it: share of non-waiting time, the
// bottleneck marked, waiting apart, and the on/off-CPU split when known.
function categoryLines(categories: readonly CategoryTime[], p: Palette): string[] {
  const splits = categories.map((c) => cpuSplit(CATEGORY_LABELS[c.category].toLowerCase(), c.totalNs, c.offCpuNs, c.runqNs));
  const withSplit = splits.some((x) => x !== null);
  const columns: Column[] = [
    { title: 'Category', align: 'left' },
    { title: 'Calls', align: 'right' },
    { title: 'Time', align: 'right' },
    { title: '% of Total', align: 'right' },
    ...(withSplit ? (['Blocked', 'CPU wait', 'On CPU'].map((title) => ({ title, align: 'right' })) as Column[]) : []),
    { title: '', align: 'left' },
  ];
  const rows = categories.map((c, i): Cell[] => {
    const label = c.syscalls.length > 0 && c.syscalls.length <= 3 ? `${CATEGORY_LABELS[c.category]} (${c.syscalls.join(', ')})` : CATEGORY_LABELS[c.category];
    const share = c.share === null ? (c.waiting ? 'waiting' : '-') : c.share > 0 && c.share < 0.0005 ? '<0.1%' : formatPercent(c.share);
    const s = splits[i] ?? null;
    const cpu = !withSplit ? [] : s === null ? ['-', '-', '-'] : [formatDuration(s.blockedNs), formatDuration(s.runqNs), formatDuration(s.onCpuNs)];
    return [label, formatCount(c.calls), formatDuration(c.totalNs), share, ...cpu, c.bottleneck ? { text: '← BOTTLENECK', paint: p.bad } : ''];
  });
  return [p.strong('Time by Category:'), p.dim('─'.repeat(52)), ...textTable(columns, rows, p.strong), p.dim('% of Total is over the time not spent waiting (epoll_wait, futex, sleeps... shown apart)')];
}
