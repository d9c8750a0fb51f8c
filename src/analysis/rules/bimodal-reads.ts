// Rule bimodal-reads: a read syscall's latencies form a fast and a slow
// cluster -> the working set exceeds the page cache.
//
// Fires for a read syscall whose calls are mostly on files (disk-read category)
// when its latencies have two or more modes (modes.ts) and the slowest mode
// peaks at least BIMODAL_MIN_RATIO times above the fastest. Works from the
// aggregate alone (estimated modes for an aggregate capture).
//
// Saving: if the slow reads were served like the fast ones, each would take the
// fast mode's peak instead of its own: sum over the slower modes of
// count * (mode peak - fast peak).
import { categoryOfName } from '../../model/categories.js';
import { formatCount, formatDuration, formatPercent } from '../../render/units.js';
import { finding, type Finding, type FindingContext } from '../findings.js';
import { mainCategory, modeWords } from '../mode-labels.js';

// The read syscalls this rule looks at.
export const READ_SYSCALLS = ['read', 'pread64', 'readv', 'preadv', 'preadv2'] as const;
// The slowest mode must peak at least this many times above the fastest.
export const BIMODAL_MIN_RATIO = 10;

// Bimodal read latency: part of the data comes from disk.
export function bimodalReads(ctx: FindingContext): Finding[] {
  return READ_SYSCALLS.flatMap((name): Finding[] => {
    const s = ctx.syscall(name);
    if (s === undefined || mainCategory(s.categories, categoryOfName(name)) !== 'disk-read') return [];
    const analysis = ctx.modes(name);
    if (!analysis.multimodal) return [];
    const [fast, ...slow] = analysis.modes;
    const slowest = slow[slow.length - 1]!;
    if (slowest.peakNs < BIMODAL_MIN_RATIO * fast!.peakNs) return [];
    const slowCount = slow.reduce((n, m) => n + m.count, 0);
    const savingNs = slow.reduce((n, m) => n + m.count * Math.max(0, m.peakNs - fast!.peakNs), 0);
    return [
      finding(ctx, {
        rule: 'bimodal-reads',
        syscall: name,
        title: `${name}() latency is bimodal: ${formatPercent(slowCount / s.count)} of reads are ${Math.round(slowest.peakNs / fast!.peakNs)}x slower`,
        evidence: [
          `${formatCount(s.count)} calls: ${modeWords(analysis, 'disk-read').join(', ')}`,
          `The fast cluster peaks at ${formatDuration(fast!.peakNs)}, the slow one at ${formatDuration(slowest.peakNs)}${s.distribution.exact ? '' : ' (estimated from histograms)'}`,
        ],
        why: 'Reads that miss the page cache wait for the disk, so when the data read does not fit in memory a share of the reads is orders of magnitude slower.',
        recommendation: [
          'The working set exceeds the page cache: add memory, or shrink the data read (compression, narrower records, an index)',
          'Keep hot data in an application cache, or mmap it',
          'Prefetch data you will read (posix_fadvise POSIX_FADV_WILLNEED, readahead) so the disk wait overlaps other work',
        ],
        savingNs,
      }),
    ];
  });
}
