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
import { perSecond } from '../totals.js';
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { sumOf, wallShare } from './measure.js';

// At least this many calls...
export const MEMORY_CHURN_MIN_CALLS = 200;
// ...at least this many per second.
export const MEMORY_CHURN_MIN_RATE = 100;

// The syscalls counted as churn.
export const CHURN_SYSCALLS = ['mmap', 'munmap', 'mremap', 'brk'] as const;

// A memory-churn finding: the churn syscalls seen (in CHURN_SYSCALLS order) with their calls.
export type MemoryChurnFinding = Finding<
  'memory-churn',
  { readonly parts: readonly { readonly syscall: string; readonly calls: number }[] },
  {
    readonly calls: number;
    // null when the wall time is unknown
    readonly callsPerSec: number | null;
    readonly totalNs: number;
    readonly wallShare: number | null;
    // null without per-call facts (or no mmap seen)
    readonly anonymousMmaps: number | null;
    readonly fileMmaps: number | null;
  }
>;

// mmap/munmap or brk churn.
export function memoryChurn(ctx: FindingContext): MemoryChurnFinding[] {
  const all = sumOf(ctx, CHURN_SYSCALLS);
  // the loader's mmaps and mprotects while a process starts are start-up (process-startup), not churn
  const startup = CHURN_SYSCALLS.map((n) => ctx.facts?.startup.bySyscall.get(n)).reduce((a, c) => ({ calls: a.calls + (c?.calls ?? 0), ns: a.ns + (c?.ns ?? 0) }), { calls: 0, ns: 0 });
  const calls = all.calls - startup.calls;
  const totalNs = Math.max(0, all.totalNs - startup.ns);
  if (calls < MEMORY_CHURN_MIN_CALLS) return [];
  const rate = perSecond(calls, ctx.durationNs);
  if (rate !== null && rate < MEMORY_CHURN_MIN_RATE) return [];
  const parts = CHURN_SYSCALLS.map((n) => ctx.syscall(n)).filter((s) => s !== undefined);
  const top = [...parts].sort((a, b) => b.totalNs - a.totalNs)[0]!;
  const m = ctx.facts?.memory;
  const mapped = m !== undefined && m.anonymousMmaps + m.fileMmaps > 0;
  return [
    finding<MemoryChurnFinding>(ctx, {
      rule: 'memory-churn',
      syscall: top.name,
      // a multimodal brk or munmap is this churn, not a finding of its own
      alsoAbout: parts.filter((s) => s !== top).map((s) => s.name),
      subject: { parts: parts.map((s) => ({ syscall: s.name, calls: s.count })) },
      metrics: {
        calls,
        callsPerSec: rate,
        totalNs,
        wallShare: wallShare(ctx, totalNs),
        anonymousMmaps: mapped ? m.anonymousMmaps : null,
        fileMmaps: mapped ? m.fileMmaps : null,
      },
      savingNs: totalNs * (1 - 2 / calls),
    }),
  ];
}

// The rule's registry entry.
export const MEMORY_CHURN: FindingRule<MemoryChurnFinding> = { id: 'memory-churn', generic: false, run: memoryChurn };
