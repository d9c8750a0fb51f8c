// The words of memory-churn.
import type { MemoryChurnFinding } from '../../../core/analysis/rules/memory-churn.js';
import { formatCount, formatDuration, formatRate } from '../units.js';
import { ofWall, type FindingText } from './text.js';

// mmap/munmap or brk churn.
export function memoryChurnText(f: MemoryChurnFinding): FindingText {
  const m = f.metrics;
  const evidence = [
    `${f.subject.parts.map((s) => `${formatCount(s.calls)} ${s.syscall}`).join(', ')}${m.callsPerSec === null ? '' : ` (${formatRate(m.callsPerSec)} per second)`}`,
    `They took ${formatDuration(m.totalNs)}${ofWall(m.wallShare)}, ${formatDuration(m.totalNs / m.calls)} per call`,
  ];
  if (m.anonymousMmaps !== null && m.fileMmaps !== null) evidence.push(`${formatCount(m.anonymousMmaps)} anonymous and ${formatCount(m.fileMmaps)} file-backed mmaps`);
  return {
    title: `Memory churn: ${formatCount(m.calls)} mmap/munmap/brk calls`,
    evidence,
    why: 'Each fresh mapping is zeroed and faulted in page by page and each unmap flushes TLBs, so allocating and freeing large buffers per operation costs far more than reusing them.',
    recommendation: [
      'Reuse buffers (a pool or arena) instead of allocating and freeing per operation',
      'With glibc malloc, raise M_MMAP_THRESHOLD and M_TRIM_THRESHOLD (mallopt or MALLOC_MMAP_THRESHOLD_) so large blocks come from the heap',
      'Or use an allocator that caches freed memory (jemalloc, tcmalloc, mimalloc)',
    ],
  };
}
