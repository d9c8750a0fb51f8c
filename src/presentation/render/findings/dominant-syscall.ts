// The words of dominant-syscall, with the advice by I/O category it gives.
import type { DominantSyscallFinding } from '../../../core/analysis/rules/dominant-syscall.js';
import type { Category } from '../../../core/model/categories.js';
import { formatCount, formatDuration, formatRate } from '../units.js';
import type { FindingText } from './text.js';

// What usually helps when a category takes the time.
export const CATEGORY_ADVICE: Readonly<Record<Category, readonly string[]>> = {
  sync: ['Batch writes before fsync (group commit)', 'Use fdatasync where file metadata need not be durable', 'Review whether every fsync is necessary'],
  'disk-read': ['Check how much is served from the page cache: cold reads go to disk', 'Read larger blocks, or prefetch predictable access (readahead, posix_fadvise)'],
  'disk-write': ['Buffer small writes into larger ones', 'Write several buffers per call (writev, pwritev)'],
  network: ['Batch small sends and receives (larger buffers, sendmmsg/recvmmsg)'],
  metadata: ['Avoid repeated opens and stats of the same paths: keep files open, cache lookups'],
  memory: ['Reuse mappings and buffers instead of mapping and unmapping per operation'],
  process: ['Reuse processes or threads (pools) instead of starting one per task'],
  other: [],
  wait: [],
};

// "fsync() dominates latency (76% of non-waiting time)".
export function dominantSyscallText(f: DominantSyscallFinding): FindingText {
  const m = f.metrics;
  const evidence = [
    `Called ${m.calls === 1 ? 'once' : `${formatCount(m.calls)} times`}${m.callsPerSec === null ? '' : ` (${formatRate(m.callsPerSec)} per second)`}`,
    `Each call takes ${formatDuration(m.avgNs)} on average, ${formatDuration(m.totalNs)} in all`,
  ];
  if (m.p50Ns !== null && m.p99Ns !== null) {
    const est = m.estimated ? ' (estimated)' : '';
    evidence.push(
      m.tailSpikes
        ? `p99: ${formatDuration(m.p99Ns)}${est}, ${formatCount(m.tailRatio ?? 0)}x the median (${formatDuration(m.p50Ns)}): tail latency spikes`
        : `p99: ${formatDuration(m.p99Ns)}${est}, median ${formatDuration(m.p50Ns)}`,
    );
  }
  return {
    title: `${f.syscall}() dominates latency (${Math.round(m.share * 100)}% of non-waiting time)`,
    evidence,
    why: 'Time spent in one syscall is where shortening or avoiding calls pays off most.',
    recommendation: CATEGORY_ADVICE[f.subject.category],
  };
}
