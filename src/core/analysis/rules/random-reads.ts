// Rule random-reads: random reads on a large file -> mmap, prefetch,
// posix_fadvise, O_DIRECT.
//
// Fires per file (at most RANDOM_TOP) whose reads are random (io-pattern.ts:
// at most 20% of at least RANDOM_MIN_READS compared reads start where the
// previous one on the fd ended) and reach at least RANDOM_LARGE_FILE_BYTES into
// the file. Needs per-call facts (offsets).
//
// Saving: a random read that prefetching or caching turns into a hit costs what
// a page-cache hit costs here, the fastest latency mode of that read syscall:
// nonSequentialTime - nonSequentialCount * fastPeak (0 when every read is already that fast).
import { formatBytes, formatCount, formatDuration, formatPercent } from '../../../presentation/render/units.js';
import { finding, type Finding, type FindingContext } from '../findings.js';
import { ofWall } from './measure.js';

// A file needs at least this many compared reads...
export const RANDOM_MIN_READS = 50;
// ...reaching at least this far into it (smaller files are cached whole after a first pass).
export const RANDOM_LARGE_FILE_BYTES = 4 * 1024 * 1024;
// At most this many files get a finding each.
export const RANDOM_TOP = 3;

// Random reads over a large file.
export function randomReads(ctx: FindingContext): Finding[] {
  if (ctx.facts === null) return [];
  return ctx.facts.files.rows
    .filter((f) => f.reads.pattern === 'random' && f.reads.comparedOps >= RANDOM_MIN_READS && (f.extentBytes ?? 0) >= RANDOM_LARGE_FILE_BYTES)
    .slice(0, RANDOM_TOP)
    .map((f) => {
      const r = f.reads;
      const random = r.comparedOps - r.sequentialOps;
      const syscall = r.syscall ?? 'read';
      const fastPeak = ctx.modes(syscall).modes[0]?.peakNs ?? 0;
      const savingNs = Math.max(0, r.nonSequentialNs - random * fastPeak);
      return finding(ctx, {
        rule: 'random-reads',
        syscall,
        title: `Random reads on ${f.path}`,
        evidence: [
          `${formatCount(random)} of ${formatCount(r.comparedOps)} reads (${formatPercent(random / r.comparedOps)}) did not start where the previous read on the fd ended`,
          `Reads reached ${formatBytes(f.extentBytes ?? 0)} into the file, ${formatBytes(Math.round(r.avgBytes ?? 0))} per read on average`,
          `The random reads took ${formatDuration(r.nonSequentialNs)}${ofWall(ctx, r.nonSequentialNs)}, ${formatDuration(r.nonSequentialNs / random)} each; a cached read of ${syscall}() takes about ${formatDuration(fastPeak)}`,
        ],
        why: 'The kernel reads ahead only for sequential access, so each random read of data not in the page cache waits for the disk.',
        recommendation: [
          'Tell the kernel the pattern: posix_fadvise(POSIX_FADV_RANDOM) stops useless readahead; POSIX_FADV_WILLNEED prefetches ranges you know you will read',
          'mmap the file (with madvise) so hot pages stay mapped, or keep an index/cache of hot records',
          'Sort or batch lookups by offset; for a database-style workload with its own cache, O_DIRECT avoids double caching',
        ],
        savingNs,
      });
    });
}
