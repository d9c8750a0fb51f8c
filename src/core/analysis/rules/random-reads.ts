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
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { wallShare } from './measure.js';

// A file needs at least this many compared reads...
export const RANDOM_MIN_READS = 50;
// ...reaching at least this far into it (smaller files are cached whole after a first pass).
export const RANDOM_LARGE_FILE_BYTES = 4 * 1024 * 1024;
// At most this many files get a finding each.
export const RANDOM_TOP = 3;

// A random-reads finding: the file read at random.
export type RandomReadsFinding = Finding<
  'random-reads',
  { readonly path: string | null },
  {
    // reads that did not start where the previous one on the fd ended, of the reads compared
    readonly randomReads: number;
    readonly comparedReads: number;
    readonly randomShare: number;
    // how far into the file the reads reached
    readonly extentBytes: number;
    readonly avgBytes: number;
    readonly randomNs: number;
    readonly wallShare: number | null;
    // a cached read of the syscall: its fastest latency mode's peak
    readonly cachedReadNs: number;
  }
>;

// Random reads over a large file.
export function randomReads(ctx: FindingContext): RandomReadsFinding[] {
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
      return finding<RandomReadsFinding>(ctx, {
        rule: 'random-reads',
        syscall,
        subject: { path: f.path },
        metrics: {
          randomReads: random,
          comparedReads: r.comparedOps,
          randomShare: random / r.comparedOps,
          extentBytes: f.extentBytes ?? 0,
          avgBytes: r.avgBytes ?? 0,
          randomNs: r.nonSequentialNs,
          wallShare: wallShare(ctx, r.nonSequentialNs),
          cachedReadNs: fastPeak,
        },
        savingNs,
      });
    });
}

// The rule's registry entry.
export const RANDOM_READS: FindingRule<RandomReadsFinding> = { id: 'random-reads', generic: false, run: randomReads };
