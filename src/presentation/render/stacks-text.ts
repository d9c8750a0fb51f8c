// trace's "Where the slow calls come from" block: per syscall with the most
// slow-call time, its top stacks (share, calls, p50/p99/max), then what
// happened to the slow calls.
import type { StackSection } from '../../core/analysis/stacks.js';
import type { StackHealth } from '../../core/model/stacks.js';
import type { Palette } from './color.js';
import { stackCompletenessNote, stackHealthText, stackLine } from './stack-words.js';
import { textTable } from './text-table.js';
import { formatCalls, formatCount, formatDuration, formatPercent } from './units.js';

// The block's lines (title first); with no stack taken, one line saying so and the health.
export function renderStacksBlock(sections: readonly StackSection[], health: StackHealth, p: Palette): string[] {
  const title = `${p.strong('Where the slow calls come from')} ${p.dim('(user stacks of slow calls; share of the syscall\'s slow time with a stack)')}`;
  const out = [title];
  if (sections.length === 0) out.push('No stack was taken: no call was slow enough.');
  for (const s of sections) {
    out.push(`${p.strong(s.syscall)}: ${formatCalls(s.calls)} slow, ${formatDuration(s.totalNs)}`);
    const table = textTable(
      [
        { title: '  SHARE', align: 'right' },
        { title: 'CALLS', align: 'right' },
        { title: 'P50', align: 'right' },
        { title: 'P99', align: 'right' },
        { title: 'MAX', align: 'right' },
        { title: 'STACK (outermost first)', align: 'left' },
      ],
      s.stacks.map((r) => {
        const note = stackCompletenessNote(r);
        return [
          `  ${formatPercent(r.share)}`,
          formatCount(r.calls),
          formatDuration(r.p50Ns),
          formatDuration(r.p99Ns),
          formatDuration(r.maxNs),
          note === null ? stackLine(r.names) : { text: `${stackLine(r.names)}  [${note}]`, paint: p.warn },
        ];
      }),
      p.dim,
    );
    out.push(...table);
    if (s.omitted > 0) out.push(p.dim(`  ... and ${formatCount(s.omitted)} more stacks`));
  }
  out.push(p.dim(stackHealthText(health)));
  return out;
}
