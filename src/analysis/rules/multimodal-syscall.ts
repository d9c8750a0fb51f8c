// Rule: a syscall's latencies fall into separate clusters (cache hits and disk reads, say).
import { categoryOfName } from '../../model/categories.js';
import { describeMode } from '../../render/mode-text.js';
import type { Finding, FindingContext } from '../findings.js';

// Only the syscalls with the most time are examined.
export const MULTIMODAL_TOP = 5;

const NAMES = ['', 'unimodal', 'bimodal', 'trimodal'];

// "read() shows a bimodal distribution" with each mode's share and range.
export function multimodalSyscalls(ctx: FindingContext): Finding[] {
  return ctx.rows.slice(0, MULTIMODAL_TOP).flatMap((row): Finding[] => {
    const { modes, multimodal } = ctx.modes(row.name);
    if (!multimodal) return [];
    const kind = NAMES[modes.length] ?? `multimodal (${modes.length} modes)`;
    return [
      {
        rule: 'multimodal-syscall',
        syscall: row.name,
        title: `${row.name}() shows a ${kind} distribution`,
        evidence: modes.map((m, i) => describeMode(m, i === 0)),
        recommendation:
          categoryOfName(row.name) === 'disk-read'
            ? ['The slow cluster is likely reads from disk: the working set may exceed RAM', 'Consider memory-mapped I/O or a larger cache for hot data', 'Prefetch predictable access patterns']
            : ['Find what the slow calls have in common (file, size, thread) before tuning the average'],
      },
    ];
  });
}
