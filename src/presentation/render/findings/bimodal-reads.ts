// The words of bimodal-reads.
import type { BimodalReadsFinding } from '../../../core/analysis/rules/bimodal-reads.js';
import { modeWords } from '../mode-text.js';
import { formatCount, formatDuration, formatPercent } from '../units.js';
import type { FindingText } from './text.js';

// Bimodal read latency: part of the data comes from disk.
export function bimodalReadsText(f: BimodalReadsFinding): FindingText {
  const m = f.metrics;
  return {
    title: `${f.syscall}() latency is bimodal: ${formatPercent(m.slowShare)} of reads are ${Math.round(m.slowPeakNs / m.fastPeakNs)}x slower`,
    evidence: [
      `${formatCount(m.calls)} calls: ${modeWords(f.subject.modes, f.subject.labels).join(', ')}`,
      `The fast cluster peaks at ${formatDuration(m.fastPeakNs)}, the slow one at ${formatDuration(m.slowPeakNs)}${m.estimated ? ' (estimated from histograms)' : ''}`,
    ],
    why: 'Reads that miss the page cache wait for the disk, so when the data read does not fit in memory a share of the reads is orders of magnitude slower.',
    recommendation: [
      'The working set exceeds the page cache: add memory, or shrink the data read (compression, narrower records, an index)',
      'Keep hot data in an application cache, or mmap it',
      'Prefetch data you will read (posix_fadvise POSIX_FADV_WILLNEED, readahead) so the disk wait overlaps other work',
    ],
  };
}
