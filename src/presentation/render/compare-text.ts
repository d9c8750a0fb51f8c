// `compare` on a terminal: the levels, then per syscall one table row per
// level, time by category per level, and the findings across levels.
import type { Comparison } from '../../core/analysis/compare.js';
import type { Palette } from './color.js';
import { categoryCell, COMPARE_SYSCALL_TITLES, estimateText, loadText, methodText, syscallLevelCells, verdictCell } from './compare-words.js';
import { findingText } from './findings/index.js';
import { textTable, type Cell, type Column } from './text-table.js';
import { formatCount, formatDuration } from './units.js';

// What the terminal form shows: the comparison and the file of each level.
export interface CompareView {
  readonly comparison: Comparison;
  readonly inputs: readonly string[];
}

// The comparison as text for a terminal (ends with a newline).
export function renderCompareText(view: CompareView, p: Palette): string {
  const c = view.comparison;
  const first = c.levels[0]!.label;
  const lines: string[] = [p.strong(`Comparison of ${c.levels.length} captures`), p.dim(methodText(c, first)), ''];
  const cols = (titles: readonly string[]): Column[] => titles.map((title, i) => ({ title, align: i === 0 || title === 'vs first' || title === 'Capture' || title === 'Verdict' ? 'left' : 'right' }));

  lines.push(p.strong('Levels:'));
  lines.push(
    ...textTable(
      cols(['Level', 'Capture', 'Duration', 'Calls', 'Errors', 'Syscall time', 'Verdict']),
      c.levels.map((l, k) => [l.label, view.inputs[k] ?? '', formatDuration(l.durationNs), formatCount(l.calls), formatCount(l.errors), formatDuration(l.syscallNs), verdictCell(l)]),
      p.dim,
    ),
  );
  if (c.levels.some((l) => l.load !== null)) {
    lines.push('', p.strong('Load:'));
    for (const l of c.levels) lines.push(`  ${l.label}: ${loadText(l.load)}`);
  }

  for (const row of c.rows) {
    lines.push('', p.strong(`${row.syscall}${row.waiting ? ' (waiting: latency is idle time)' : ''}`));
    const rows: Cell[][] = c.levels.map((l, k) => {
      const cells: Cell[] = syscallLevelCells(row, k, l);
      const change = row.changes[k];
      if (!row.waiting && change != null && change.regressed.length > 0) cells[cells.length - 1] = { text: cells[cells.length - 1] as string, paint: p.bad };
      else if (!row.waiting && change != null && change.improved.length > 0) cells[cells.length - 1] = { text: cells[cells.length - 1] as string, paint: p.ok };
      return cells;
    });
    lines.push(...textTable(cols(COMPARE_SYSCALL_TITLES), rows, p.dim));
  }
  if (c.missing.length > 0) lines.push('', p.dim(`Not in any capture: ${c.missing.join(', ')}`));
  const estimated = estimateText(c);
  if (estimated !== null) lines.push('', p.dim(estimated));

  if (c.categories.length > 0) {
    lines.push('', p.strong('Time by category (share of the time not spent waiting):'));
    lines.push(
      ...textTable(
        cols(['Category', ...c.levels.map((l) => l.label)]),
        c.categories.map((cat) => [`${cat.label}${cat.waiting ? ' (waiting)' : ''}`, ...cat.totalNs.map((ns, k) => categoryCell(ns, cat.share[k] ?? null) + (cat.bottleneck[k] ? ' *' : ''))]),
        p.dim,
      ),
    );
    lines.push(p.dim('* the bottleneck of that level'));
  }

  lines.push('', p.strong('Findings across levels:'));
  if (c.findings.length === 0) lines.push('No findings at any level.');
  else {
    lines.push(
      ...textTable(
        cols(['Finding', ...c.levels.map((l) => l.label)]),
        c.findings.map((f) => [`${findingText(f.levels.find((x) => x !== null)!).title} [${f.rule}]`, ...f.levels.map((x) => (x === null ? '-' : `saves ${formatDuration(x.savingNs)}`))]),
        p.dim,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
