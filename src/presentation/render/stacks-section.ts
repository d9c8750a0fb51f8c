// The report's "Where the slow calls come from": per syscall with the most
// slow-call time, the stacks holding most of it (share, calls, p50/p99/max),
// its flame graph when written, and what happened to the slow calls.
import type { StackReport } from '../../core/analysis/stacks.js';
import { markdownTable } from './markdown-table.js';
import { escapeInline } from './report-markdown.js';
import { stackCompletenessNote, stackHealthText, stackLine } from './stack-words.js';
import { formatCalls, formatCount, formatDuration, formatPercent } from './units.js';

// The section's lines; `flames` links each syscall's flame graph (by syscall; empty: none written).
export function stacksSection(report: StackReport, flames: ReadonlyMap<string, string> = new Map(), link: (path: string) => string = (p) => p): string[] {
  const out: string[] = [];
  if (report.sections.length === 0) out.push('No stack was taken: no call was slow enough.');
  for (const s of report.sections) {
    out.push(`### ${escapeInline(s.syscall)}`, '', `${formatCalls(s.calls)} slow with a stack, ${formatDuration(s.totalNs)} in all.`, '');
    out.push(
      ...markdownTable(
        [
          { title: 'Share', align: 'right' },
          { title: 'Calls', align: 'right' },
          { title: 'p50', align: 'right' },
          { title: 'p99', align: 'right' },
          { title: 'Max', align: 'right' },
          { title: 'Stack (outermost first)', align: 'left' },
        ],
        s.stacks.map((r) => {
          const note = stackCompletenessNote(r);
          return [
            formatPercent(r.share),
            formatCount(r.calls),
            formatDuration(r.p50Ns),
            formatDuration(r.p99Ns),
            formatDuration(r.maxNs),
            // a code span: frame names are full of underscores (never a backtick inside)
            `\`${stackLine(r.names, null).replace(/`/g, "'")}\`${note === null ? '' : ` _(${escapeInline(note)})_`}`,
          ];
        }),
      ),
    );
    if (s.omitted > 0) out.push('', `... and ${formatCount(s.omitted)} more stacks (all of them: \`analyze --folded\`).`);
    const flame = flames.get(s.syscall);
    if (flame !== undefined) out.push('', `![${s.syscall}: flame graph of the slow-call time by stack](${link(flame)})`);
    out.push('');
  }
  out.push(`_${escapeInline(stackHealthText(report.health))}._`);
  return out;
}
