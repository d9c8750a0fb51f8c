// The text output of `analyze`: capture facts, the per-syscall latency table, the top processes.
import type { CaptureAnalysis } from '../analysis/capture.js';
import { latencyRows } from '../analysis/latency-rows.js';
import { topRows } from '../analysis/top.js';
import { captureFacts, captureWarnings } from './capture-facts.js';
import type { Palette } from './color.js';
import { errorsCell, estimateNote, LATENCY_TITLES, latencyCells } from './latency-cells.js';
import { textTable, type Cell, type Column } from './text-table.js';
import { formatCount, formatDuration } from './units.js';

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
