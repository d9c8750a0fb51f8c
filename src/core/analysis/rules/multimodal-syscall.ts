// Rule multimodal-syscall (generic): a syscall's latencies fall into separate
// clusters. Left out when a specific rule (bimodal-reads) has a finding about
// the same syscall. Saving: if the slow clusters' calls took the fast
// cluster's peak: sum over slower modes of count * (peak - fast peak).
import { categoryOfName } from '../../model/categories.js';
import { finding, type Finding, type FindingContext } from '../findings.js';
import { mainCategory, modeWords } from '../mode-labels.js';

// Only the syscalls with the most time are examined.
export const MULTIMODAL_TOP = 5;

// A syscall with less than this share of the wall time (when known) is not worth a finding.
export const MULTIMODAL_MIN_WALL_SHARE = 0.01;

const NAMES = ['', 'unimodal', 'bimodal', 'trimodal'];

// "read() shows a bimodal distribution" with each mode's share and range.
export function multimodalSyscalls(ctx: FindingContext): Finding[] {
  return ctx.rows.slice(0, MULTIMODAL_TOP).flatMap((row): Finding[] => {
    if (ctx.durationNs !== null && ctx.durationNs > 0 && row.totalNs < MULTIMODAL_MIN_WALL_SHARE * ctx.durationNs) return [];
    const { modes, multimodal } = ctx.modes(row.name);
    if (!multimodal) return [];
    const kind = NAMES[modes.length] ?? `multimodal (${modes.length} modes)`;
    const s = ctx.syscall(row.name);
    const category = s === undefined ? categoryOfName(row.name) : mainCategory(s.categories, categoryOfName(row.name));
    const fast = modes[0]!.peakNs;
    return [
      finding(ctx, {
        rule: 'multimodal-syscall',
        syscall: row.name,
        title: `${row.name}() shows a ${kind} distribution`,
        evidence: modeWords(ctx.modes(row.name), category),
        why: 'Separate latency clusters mean the calls take different paths (cache or disk, fast or contended); the slow path is the one to fix.',
        recommendation:
          categoryOfName(row.name) === 'disk-read'
            ? ['The slow cluster is likely reads from disk: the working set may exceed RAM', 'Consider memory-mapped I/O or a larger cache for hot data', 'Prefetch predictable access patterns']
            : ['Find what the slow calls have in common (file, size, thread) before tuning the average'],
        savingNs: modes.slice(1).reduce((n, m) => n + m.count * Math.max(0, m.peakNs - fast), 0),
      }),
    ];
  });
}
