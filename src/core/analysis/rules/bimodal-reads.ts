// Rule bimodal-reads: a read syscall's latencies form a fast and a slow
// cluster -> the working set exceeds the page cache.
//
// Fires for a read syscall whose calls are mostly on files (disk-read category)
// when its latencies have two or more modes (modes.ts) and the slowest mode
// peaks at least BIMODAL_MIN_RATIO times above the fastest and at least
// BIMODAL_MIN_SLOW_NS. Works from the aggregate alone (estimated modes for an
// aggregate capture).
//
// The floor keeps out clusters that are not the disk: on a busy machine
// interrupts and preemption slow a few percent of cached reads to 5-20 us,
// which is 10x a 1 us cache hit (test/workloads/rand_pread, 2000 cached preads
// on a loaded 2-core VM: 4.3% of them at about 13 us). A read from a device
// takes longer: a virtio disk 100-250 us, NVMe flash tens of microseconds.
//
// Left alone when the reads were runnable (waiting for a CPU) longer than
// blocked: then the slow cluster is a busy CPU, not the disk (measure.ts).
//
// Saving: if the slow reads were served like the fast ones, each would take the
// fast mode's peak instead of its own: sum over the slower modes of
// count * (mode peak - fast peak).
import { categoryOfName } from '../../model/categories.js';
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { mainCategory, modeLabels, type ModeLabel } from '../mode-labels.js';
import type { Mode } from '../modes.js';
import { latencyNotItsOwn } from './measure.js';

// The read syscalls this rule looks at.
export const READ_SYSCALLS = ['read', 'pread64', 'readv', 'preadv', 'preadv2'] as const;
// The slowest mode must peak at least this many times above the fastest...
export const BIMODAL_MIN_RATIO = 10;
// ...and at least this high.
export const BIMODAL_MIN_SLOW_NS = 30_000;

// A bimodal-reads finding: the read's modes (fastest first) with their probable source.
export type BimodalReadsFinding = Finding<
  'bimodal-reads',
  { readonly modes: readonly Mode[]; readonly labels: readonly (ModeLabel | null)[] },
  { readonly calls: number; readonly slowCalls: number; readonly slowShare: number; readonly fastPeakNs: number; readonly slowPeakNs: number; readonly estimated: boolean }
>;

// Bimodal read latency: part of the data comes from disk.
export function bimodalReads(ctx: FindingContext): BimodalReadsFinding[] {
  return READ_SYSCALLS.flatMap((name): BimodalReadsFinding[] => {
    const s = ctx.syscall(name);
    if (s === undefined || mainCategory(s.categories, categoryOfName(name)) !== 'disk-read' || latencyNotItsOwn(s)) return [];
    const analysis = ctx.modes(name);
    if (!analysis.multimodal) return [];
    const [fast, ...slow] = analysis.modes;
    const slowest = slow[slow.length - 1]!;
    if (slowest.peakNs < BIMODAL_MIN_RATIO * fast!.peakNs || slowest.peakNs < BIMODAL_MIN_SLOW_NS) return [];
    const slowCount = slow.reduce((n, m) => n + m.count, 0);
    const savingNs = slow.reduce((n, m) => n + m.count * Math.max(0, m.peakNs - fast!.peakNs), 0);
    return [
      finding<BimodalReadsFinding>(ctx, {
        rule: 'bimodal-reads',
        syscall: name,
        subject: { modes: analysis.modes, labels: modeLabels(analysis, 'disk-read') },
        metrics: { calls: s.count, slowCalls: slowCount, slowShare: slowCount / s.count, fastPeakNs: fast!.peakNs, slowPeakNs: slowest.peakNs, estimated: !s.distribution.exact },
        savingNs,
      }),
    ];
  });
}

// The rule's registry entry.
export const BIMODAL_READS: FindingRule<BimodalReadsFinding> = { id: 'bimodal-reads', generic: false, run: bimodalReads };
