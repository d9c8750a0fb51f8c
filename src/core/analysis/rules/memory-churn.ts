// Rule memory-churn: memory mapped and unmapped (or the heap grown and shrunk)
// over and over.
//
// Fires when mmap + munmap + mremap + brk have at least MEMORY_CHURN_MIN_CALLS
// calls, at least MEMORY_CHURN_MIN_RATE per second of wall time (when known).
// Works from the aggregate alone (counts); per-call facts add anonymous vs file mappings.
//
// Saving: reusing memory keeps one map and one unmap of the churn; the others
// cost what they cost here: churnTime * (1 - 2 / calls). The page faults that
// follow each fresh mapping are not seen by syscall tracing and come on top.
import { formatCount, formatDuration, formatRate } from '../../../presentation/render/units.js';
import { perSecond } from '../totals.js';
import { finding, type Finding, type FindingContext } from '../findings.js';
import { ofWall, sumOf } from './measure.js';

// At least this many calls...
export const MEMORY_CHURN_MIN_CALLS = 200;
// ...at least this many per second.
export const MEMORY_CHURN_MIN_RATE = 100;

// The syscalls counted as churn.
export const CHURN_SYSCALLS = ['mmap', 'munmap', 'mremap', 'brk'] as const;

// mmap/munmap or brk churn.
export function memoryChurn(ctx: FindingContext): Finding[] {
  const { calls, totalNs } = sumOf(ctx, CHURN_SYSCALLS);
  if (calls < MEMORY_CHURN_MIN_CALLS) return [];
  const rate = perSecond(calls, ctx.durationNs);
  if (rate !== null && rate < MEMORY_CHURN_MIN_RATE) return [];
  const parts = CHURN_SYSCALLS.map((n) => ctx.syscall(n)).filter((s) => s !== undefined);
  const top = [...parts].sort((a, b) => b.totalNs - a.totalNs)[0]!;
  const evidence = [
    `${parts.map((s) => `${formatCount(s.count)} ${s.name}`).join(', ')}${rate === null ? '' : ` (${formatRate(rate)} per second)`}`,
    `They took ${formatDuration(totalNs)}${ofWall(ctx, totalNs)}, ${formatDuration(totalNs / calls)} per call`,
  ];
  const m = ctx.facts?.memory;
  if (m !== undefined && m.anonymousMmaps + m.fileMmaps > 0) evidence.push(`${formatCount(m.anonymousMmaps)} anonymous and ${formatCount(m.fileMmaps)} file-backed mmaps`);
  return [
    finding(ctx, {
      rule: 'memory-churn',
      syscall: top.name,
      // a multimodal brk or munmap is this churn, not a finding of its own
      alsoAbout: parts.filter((s) => s !== top).map((s) => s.name),
      title: `Memory churn: ${formatCount(calls)} mmap/munmap/brk calls`,
      evidence,
      why: 'Each fresh mapping is zeroed and faulted in page by page and each unmap flushes TLBs, so allocating and freeing large buffers per operation costs far more than reusing them.',
      recommendation: [
        'Reuse buffers (a pool or arena) instead of allocating and freeing per operation',
        'With glibc malloc, raise M_MMAP_THRESHOLD and M_TRIM_THRESHOLD (mallopt or MALLOC_MMAP_THRESHOLD_) so large blocks come from the heap',
        'Or use an allocator that caches freed memory (jemalloc, tcmalloc, mimalloc)',
      ],
      savingNs: totalNs * (1 - 2 / calls),
    }),
  ];
}
