// analyze --folded: one line per (syscall, stack), `frame;frame;sys_fsync VALUE`,
// outermost frame first, the syscall as the leaf: what flamegraph.pl,
// speedscope and inferno read.
import type { FoldedLine } from '../../core/analysis/stacks.js';

// The lines, each ending in a newline; empty when there are none.
export function renderFolded(lines: readonly FoldedLine[]): string {
  return lines.map((l) => `${l.stack} ${Math.round(l.value)}\n`).join('');
}
