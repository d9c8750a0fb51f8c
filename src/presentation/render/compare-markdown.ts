// `compare --output cmp.md`: the comparison as Markdown, its charts linked
// relatively (GitHub renders them).
import type { Comparison } from '../../core/analysis/compare.js';
import type { CompareChartLinks } from './compare-charts.js';
import { categoryCell, COMPARE_SYSCALL_TITLES, estimateText, loadText, methodText, syscallLevelCells, verdictCell } from './compare-words.js';
import { findingText } from './findings/index.js';
import { escapeCell, markdownTable, type MarkdownColumn } from './markdown-table.js';
import { formatCount, formatDuration } from './units.js';

// The title of a comparison report.
export const COMPARE_TITLE = 'Comparison';

// The Markdown (ends with a newline); links null: no charts.
export function renderCompareMarkdown(c: Comparison, inputs: readonly string[], links: CompareChartLinks | null): string {
  const first = c.levels[0]!.label;
  const cols = (titles: readonly string[], left: readonly string[] = []): MarkdownColumn[] =>
    titles.map((title, i) => ({ title, align: i === 0 || left.includes(title) ? 'left' : 'right' }));
  const out: string[] = [`# ${COMPARE_TITLE}: ${c.levels.map((l) => l.label).join(', ')}`, '', methodText(c, first), ''];

  out.push('## Levels', '');
  out.push(
    ...markdownTable(
      cols(['Level', 'Capture', 'Duration', 'Calls', 'Errors', 'Syscall time', 'Verdict'], ['Capture', 'Verdict']),
      c.levels.map((l, k) => [l.label, `\`${inputs[k] ?? ''}\``, formatDuration(l.durationNs), formatCount(l.calls), formatCount(l.errors), formatDuration(l.syscallNs), verdictCell(l)]),
    ),
  );
  if (c.levels.some((l) => l.load !== null)) {
    out.push('', 'How loaded the machine was while each capture ran (from /proc/stat and /proc/pressure):', '');
    for (const l of c.levels) out.push(`- **${escapeCell(l.label)}**: ${loadText(l.load)}`);
  }

  if (links !== null) {
    out.push('', '## Charts', '', `![Latency per syscall across levels](${links.latency})`, '', `![Latency distribution per level](${links.distributions})`, '', `![Time by category per level](${links.categories})`);
  }

  out.push('', '## Syscalls');
  if (c.rows.length === 0) out.push('', 'No syscalls to compare.');
  for (const row of c.rows) {
    out.push('', `### ${row.syscall}${row.waiting ? ' (waiting: its latency is idle time, not a cost)' : ''}`, '');
    out.push(...markdownTable(cols(COMPARE_SYSCALL_TITLES, ['vs first']), c.levels.map((l, k) => syscallLevelCells(row, k, l))));
  }
  if (c.missing.length > 0) out.push('', `Not in any capture: ${c.missing.join(', ')}.`);
  const estimated = estimateText(c);
  if (estimated !== null) out.push('', estimated);

  out.push('', '## Time by category', '');
  if (c.categories.length === 0) out.push('No calls.');
  else {
    out.push(
      ...markdownTable(
        cols(['Category', ...c.levels.map((l) => l.label)]),
        c.categories.map((cat) => [`${cat.label}${cat.waiting ? ' (waiting)' : ''}`, ...cat.totalNs.map((ns, k) => categoryCell(ns, cat.share[k] ?? null) + (cat.bottleneck[k] ? ' **bottleneck**' : ''))]),
      ),
      '',
      'Shares are of the time not spent waiting.',
    );
  }

  out.push('', '## Findings across levels', '');
  if (c.findings.length === 0) out.push('No findings at any level.');
  else {
    out.push(
      ...markdownTable(
        cols(['Finding', ...c.levels.map((l) => l.label)]),
        c.findings.map((f) => [`${findingText(f.levels.find((x) => x !== null)!).title} (\`${f.rule}\`)`, ...f.levels.map((x) => (x === null ? '—' : `saves ${formatDuration(x.savingNs)}`))]),
      ),
    );
    const changing = c.findings.filter((f) => f.changes);
    if (changing.length > 0) out.push('', `${changing.length} of ${c.findings.length} finding${c.findings.length === 1 ? '' : 's'} appear at some levels only.`);
  }
  return `${out.join('\n')}\n`;
}
