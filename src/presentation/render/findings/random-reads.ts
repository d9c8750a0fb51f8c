// The words of random-reads.
import type { RandomReadsFinding } from '../../../core/analysis/rules/random-reads.js';
import { formatBytes, formatCount, formatDuration, formatPercent } from '../units.js';
import { ofWall, type FindingText } from './text.js';

// Random reads over a large file.
export function randomReadsText(f: RandomReadsFinding): FindingText {
  const m = f.metrics;
  return {
    title: `Random reads on ${f.subject.path}`,
    evidence: [
      `${formatCount(m.randomReads)} of ${formatCount(m.comparedReads)} reads (${formatPercent(m.randomShare)}) did not start where the previous read on the fd ended`,
      `Reads reached ${formatBytes(m.extentBytes)} into the file, ${formatBytes(Math.round(m.avgBytes))} per read on average`,
      `The random reads took ${formatDuration(m.randomNs)}${ofWall(m.wallShare)}, ${formatDuration(m.randomNs / m.randomReads)} each; a cached read of ${f.syscall}() takes about ${formatDuration(m.cachedReadNs)}`,
    ],
    why: 'The kernel reads ahead only for sequential access, so each random read of data not in the page cache waits for the disk.',
    recommendation: [
      'Tell the kernel the pattern: posix_fadvise(POSIX_FADV_RANDOM) stops useless readahead; POSIX_FADV_WILLNEED prefetches ranges you know you will read',
      'mmap the file (with madvise) so hot pages stay mapped, or keep an index/cache of hot records',
      'Sort or batch lookups by offset; for a database-style workload with its own cache, O_DIRECT avoids double caching',
    ],
  };
}
